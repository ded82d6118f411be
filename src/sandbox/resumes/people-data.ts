/**
 * Word lists behind the fictional people. Every string here must be encodable in WinAnsi (the
 * encoding of the PDF standard fonts), so the rendered text matches the ground truth exactly.
 * Employers are invented; schools, skills, languages and certifications are real names, because
 * screening code recognises those and a corpus with fake skills would test nothing.
 */

export const disciplines = [
  "engineering",
  "data",
  "design",
  "product",
  "sales",
  "marketing",
  "finance",
  "operations",
  "people",
] as const;
export type Discipline = (typeof disciplines)[number];

export const seniorities = ["junior", "mid", "senior", "lead", "executive"] as const;
export type Seniority = (typeof seniorities)[number];

export const firstNames = [
  "Mira", "Jonas", "Aisha", "Mateo", "Priya", "Lukas", "Chloe", "Kwame", "Sofia", "Hiroshi",
  "Amara", "Daniel", "Elena", "Tomas", "Fatima", "Oliver", "Yuki", "Rafael", "Ingrid", "Samuel",
  "Leila", "Noah", "Zanele", "Emil", "Camila", "Arjun", "Hannah", "Diego", "Nadia", "Felix",
  "Grace", "Omar", "Freya", "Luis", "Mei", "Adrian", "Isabel", "Kofi", "Sara", "Viktor",
  "Ana", "Benedikt", "Chiara", "Dmitri", "Esther", "Farid", "Greta", "Hugo", "Imani", "Julien",
  "José", "Zoë", "Björn", "Renée", "Søren", "Anaïs", "François", "Müge",
] as const;

export const lastNames = [
  "Okafor", "Lindqvist", "Rahman", "Fernández", "Patel", "Becker", "Dubois", "Mensah", "Rossi",
  "Tanaka", "Nwosu", "Cohen", "Popescu", "Novak", "Haddad", "Bennett", "Sato", "Oliveira",
  "Johansson", "Adeyemi", "Karimi", "Walsh", "Dlamini", "Schmidt", "Herrera", "Iyer", "Fischer",
  "Moreno", "Petrov", "Weber", "Osei", "Nakamura", "Costa", "Jensen", "Kowalski", "Murphy",
  "Ahmed", "Larsen", "Moretti", "Chen", "Nguyen", "Kim", "García", "Müller", "O'Brien",
  "van der Berg", "Björklund", "Çelik",
] as const;

export interface Place {
  city: string;
  region: string | null;
  country: string;
  countryCode: string;
  phonePrefix: string;
}

export const places: readonly Place[] = [
  { city: "Lisbon", region: null, country: "Portugal", countryCode: "PT", phonePrefix: "+351 9" },
  { city: "Berlin", region: null, country: "Germany", countryCode: "DE", phonePrefix: "+49 151 " },
  { city: "London", region: null, country: "United Kingdom", countryCode: "GB", phonePrefix: "+44 7" },
  { city: "Austin", region: "TX", country: "United States", countryCode: "US", phonePrefix: "+1 512 " },
  { city: "Toronto", region: "ON", country: "Canada", countryCode: "CA", phonePrefix: "+1 416 " },
  { city: "Amsterdam", region: null, country: "Netherlands", countryCode: "NL", phonePrefix: "+31 6 " },
  { city: "San Francisco", region: "CA", country: "United States", countryCode: "US", phonePrefix: "+1 415 " },
  { city: "New York", region: "NY", country: "United States", countryCode: "US", phonePrefix: "+1 646 " },
  { city: "Dublin", region: null, country: "Ireland", countryCode: "IE", phonePrefix: "+353 87 " },
  { city: "Stockholm", region: null, country: "Sweden", countryCode: "SE", phonePrefix: "+46 70 " },
  { city: "Nairobi", region: null, country: "Kenya", countryCode: "KE", phonePrefix: "+254 7" },
  { city: "Bangalore", region: "Karnataka", country: "India", countryCode: "IN", phonePrefix: "+91 98" },
  { city: "Singapore", region: null, country: "Singapore", countryCode: "SG", phonePrefix: "+65 9" },
  { city: "Chicago", region: "IL", country: "United States", countryCode: "US", phonePrefix: "+1 312 " },
  { city: "Barcelona", region: null, country: "Spain", countryCode: "ES", phonePrefix: "+34 6" },
  { city: "Sydney", region: "NSW", country: "Australia", countryCode: "AU", phonePrefix: "+61 4" },
];

/** Fictional employers, grouped loosely by industry so histories look plausible. */
export const employersByIndustry: Readonly<Record<string, readonly string[]>> = {
  software: ["Northwind Labs", "Brightpath Software", "Cobalt Cloud", "Helix Systems", "Quillstack", "Lumen Devices", "Orbital Apps", "Tessellate"],
  fintech: ["Ledgerline", "Parity Payments", "Kestrel Bank", "Fathom Capital", "Copperleaf Finance", "Meridian Trust"],
  retail: ["Harbor & Vine", "Greenfield Markets", "Atlas Outfitters", "Juniper Home", "Marlow Retail Group"],
  health: ["Caremont Health", "Vitalis Diagnostics", "Beacon Clinics", "Solace Therapeutics", "Pinecrest Medical"],
  logistics: ["Bluefin Logistics", "Railstar Freight", "Crossdock Systems", "Tidewater Shipping"],
  media: ["Lanternfish Media", "Paper Crane Studio", "Echo Valley Records", "Signal & Noise"],
  consulting: ["Ashby Partners", "Clearwater Consulting", "Hollis & Grant", "Ridgeway Advisory"],
  energy: ["Sunmere Energy", "Windward Power", "Gridline Utilities"],
};
export const industries = Object.keys(employersByIndustry);

export const titlesByDiscipline: Readonly<Record<Discipline, Readonly<Record<Seniority, readonly string[]>>>> = {
  engineering: {
    junior: ["Junior Software Engineer", "Software Engineer I", "Associate Developer"],
    mid: ["Software Engineer", "Backend Engineer", "Frontend Engineer", "Full Stack Developer"],
    senior: ["Senior Software Engineer", "Senior Backend Engineer", "Site Reliability Engineer"],
    lead: ["Staff Engineer", "Engineering Lead", "Principal Engineer"],
    executive: ["Director of Engineering", "VP of Engineering", "Chief Technology Officer"],
  },
  data: {
    junior: ["Junior Data Analyst", "Data Analyst I"],
    mid: ["Data Analyst", "Data Engineer", "Analytics Engineer"],
    senior: ["Senior Data Scientist", "Senior Data Engineer", "Machine Learning Engineer"],
    lead: ["Lead Data Scientist", "Staff Machine Learning Engineer"],
    executive: ["Head of Data", "Director of Data Science"],
  },
  design: {
    junior: ["Junior Product Designer", "Visual Designer"],
    mid: ["Product Designer", "UX Designer", "UX Researcher"],
    senior: ["Senior Product Designer", "Senior UX Researcher"],
    lead: ["Lead Designer", "Principal Product Designer"],
    executive: ["Head of Design", "Design Director"],
  },
  product: {
    junior: ["Associate Product Manager"],
    mid: ["Product Manager", "Technical Product Manager"],
    senior: ["Senior Product Manager"],
    lead: ["Group Product Manager", "Principal Product Manager"],
    executive: ["Director of Product", "VP of Product"],
  },
  sales: {
    junior: ["Sales Development Representative", "Business Development Representative"],
    mid: ["Account Executive", "Account Manager"],
    senior: ["Senior Account Executive", "Enterprise Account Executive"],
    lead: ["Sales Team Lead", "Regional Sales Manager"],
    executive: ["VP of Sales", "Chief Revenue Officer"],
  },
  marketing: {
    junior: ["Marketing Coordinator", "Content Marketing Associate"],
    mid: ["Growth Marketing Manager", "Product Marketing Manager", "Content Strategist"],
    senior: ["Senior Product Marketing Manager", "Senior Demand Generation Manager"],
    lead: ["Marketing Lead", "Head of Content"],
    executive: ["VP of Marketing", "Chief Marketing Officer"],
  },
  finance: {
    junior: ["Junior Accountant", "Financial Analyst I"],
    mid: ["Financial Analyst", "Accountant", "FP&A Analyst"],
    senior: ["Senior Financial Analyst", "Senior Accountant"],
    lead: ["Finance Manager", "Controller"],
    executive: ["Director of Finance", "Chief Financial Officer"],
  },
  operations: {
    junior: ["Operations Coordinator", "Operations Associate"],
    mid: ["Operations Analyst", "Supply Chain Analyst", "Program Manager"],
    senior: ["Senior Operations Manager", "Senior Program Manager"],
    lead: ["Head of Operations", "Operations Lead"],
    executive: ["VP of Operations", "Chief Operating Officer"],
  },
  people: {
    junior: ["Recruiting Coordinator", "People Operations Associate"],
    mid: ["Technical Recruiter", "HR Business Partner", "People Operations Specialist"],
    senior: ["Senior Technical Recruiter", "Senior HR Business Partner"],
    lead: ["Talent Acquisition Lead", "People Partner Lead"],
    executive: ["Head of People", "VP of People"],
  },
};

export const skillsByDiscipline: Readonly<Record<Discipline, readonly string[]>> = {
  engineering: ["TypeScript", "JavaScript", "Node.js", "React", "Go", "Python", "Java", "Kotlin", "Rust", "PostgreSQL", "Redis", "Kafka", "Docker", "Kubernetes", "AWS", "Google Cloud", "Terraform", "GraphQL", "REST APIs", "gRPC", "CI/CD", "Linux", "Distributed Systems", "Microservices"],
  data: ["Python", "SQL", "pandas", "NumPy", "scikit-learn", "PyTorch", "TensorFlow", "Spark", "Airflow", "dbt", "Snowflake", "BigQuery", "Tableau", "Looker", "Statistics", "A/B Testing", "Machine Learning", "Data Modeling", "ETL", "R"],
  design: ["Figma", "Sketch", "Adobe Illustrator", "Adobe Photoshop", "Prototyping", "User Research", "Usability Testing", "Design Systems", "Interaction Design", "Wireframing", "Accessibility", "Information Architecture", "HTML", "CSS"],
  product: ["Product Strategy", "Roadmapping", "User Stories", "Jira", "Confluence", "Amplitude", "Mixpanel", "A/B Testing", "SQL", "Agile", "Scrum", "Stakeholder Management", "Market Research", "Pricing"],
  sales: ["Salesforce", "HubSpot", "Outreach", "Gong", "Prospecting", "Negotiation", "Pipeline Management", "Forecasting", "MEDDIC", "Solution Selling", "Account Management", "Cold Calling", "LinkedIn Sales Navigator"],
  marketing: ["SEO", "SEM", "Google Analytics", "Google Ads", "HubSpot", "Marketo", "Content Marketing", "Email Marketing", "Copywriting", "Brand Strategy", "Social Media Marketing", "Marketing Automation", "Product Marketing", "Demand Generation"],
  finance: ["Financial Modeling", "Excel", "FP&A", "Budgeting", "Forecasting", "GAAP", "IFRS", "NetSuite", "SAP", "QuickBooks", "Variance Analysis", "Month-End Close", "Audit", "Tax Compliance"],
  operations: ["Process Improvement", "Lean Six Sigma", "Supply Chain Management", "Vendor Management", "Project Management", "Logistics", "Inventory Management", "ERP", "Excel", "SQL", "Asana", "Change Management"],
  people: ["Recruiting", "Sourcing", "Greenhouse", "Lever", "Workday", "Employee Relations", "Onboarding", "Compensation", "Performance Management", "HRIS", "Employment Law", "Diversity and Inclusion", "Interviewing"],
};

/** Skills anyone may list, whatever the discipline. */
export const generalSkills = ["Communication", "Leadership", "Mentoring", "Public Speaking", "Cross-functional Collaboration", "Problem Solving"] as const;

export const schools = [
  "University of Lisbon", "Technical University of Munich", "University of Toronto", "University of Texas at Austin",
  "Imperial College London", "University of Amsterdam", "KTH Royal Institute of Technology", "University of Nairobi",
  "Indian Institute of Technology Bombay", "National University of Singapore", "University of Michigan",
  "Trinity College Dublin", "University of Barcelona", "University of Sydney", "Georgia Institute of Technology",
  "University of Manchester", "McGill University", "Delft University of Technology",
] as const;

export const fieldsByDiscipline: Readonly<Record<Discipline, readonly string[]>> = {
  engineering: ["Computer Science", "Software Engineering", "Electrical Engineering"],
  data: ["Statistics", "Mathematics", "Computer Science", "Physics"],
  design: ["Interaction Design", "Graphic Design", "Human-Computer Interaction"],
  product: ["Computer Science", "Business Administration", "Economics"],
  sales: ["Business Administration", "Communications", "Economics"],
  marketing: ["Marketing", "Communications", "Journalism"],
  finance: ["Accounting", "Finance", "Economics"],
  operations: ["Industrial Engineering", "Supply Chain Management", "Business Administration"],
  people: ["Psychology", "Human Resource Management", "Sociology"],
};

export const bachelorDegrees = ["Bachelor of Science", "Bachelor of Arts", "BSc", "BA", "BEng"] as const;
export const masterDegrees = ["Master of Science", "MSc", "MBA", "Master of Arts", "MEng"] as const;

export const spokenLanguages = ["English", "Spanish", "Portuguese", "German", "French", "Italian", "Dutch", "Swedish", "Japanese", "Hindi", "Swahili", "Mandarin", "Arabic", "Polish", "Turkish"] as const;
export const proficiencies = ["Native", "Fluent", "Professional working proficiency", "Conversational", "Basic"] as const;

export const certificationsByDiscipline: Readonly<Record<Discipline, readonly { name: string; issuer: string }[]>> = {
  engineering: [
    { name: "AWS Certified Solutions Architect - Associate", issuer: "Amazon Web Services" },
    { name: "Certified Kubernetes Administrator", issuer: "Cloud Native Computing Foundation" },
    { name: "Google Professional Cloud Developer", issuer: "Google Cloud" },
  ],
  data: [
    { name: "Google Professional Data Engineer", issuer: "Google Cloud" },
    { name: "Databricks Certified Data Engineer Associate", issuer: "Databricks" },
    { name: "Tableau Desktop Specialist", issuer: "Tableau" },
  ],
  design: [
    { name: "Certified Usability Analyst", issuer: "Human Factors International" },
    { name: "UX Certification", issuer: "Nielsen Norman Group" },
  ],
  product: [
    { name: "Certified Scrum Product Owner", issuer: "Scrum Alliance" },
    { name: "Pragmatic Institute Product Management Certification", issuer: "Pragmatic Institute" },
  ],
  sales: [
    { name: "Salesforce Certified Administrator", issuer: "Salesforce" },
    { name: "HubSpot Inbound Sales Certification", issuer: "HubSpot Academy" },
  ],
  marketing: [
    { name: "Google Ads Search Certification", issuer: "Google" },
    { name: "HubSpot Content Marketing Certification", issuer: "HubSpot Academy" },
  ],
  finance: [
    { name: "Certified Public Accountant (CPA)", issuer: "AICPA" },
    { name: "Chartered Financial Analyst (CFA) Level II", issuer: "CFA Institute" },
  ],
  operations: [
    { name: "Project Management Professional (PMP)", issuer: "Project Management Institute" },
    { name: "Lean Six Sigma Green Belt", issuer: "IASSC" },
  ],
  people: [
    { name: "SHRM Certified Professional (SHRM-CP)", issuer: "SHRM" },
    { name: "PHR", issuer: "HR Certification Institute" },
  ],
};

/** Verb phrases for bullet points, per discipline; `{skill}` is replaced with one of the person's skills. */
export const highlightsByDiscipline: Readonly<Record<Discipline, readonly string[]>> = {
  engineering: [
    "Built and operated {skill} services handling 4,000 requests per second",
    "Cut p99 API latency by 38% by redesigning the caching layer",
    "Led the migration of a monolith to {skill}-based services",
    "Introduced contract tests that reduced production incidents by a third",
    "Mentored four engineers and ran the team's on-call rotation",
  ],
  data: [
    "Designed {skill} pipelines feeding the company's revenue dashboards",
    "Built a churn model that improved retention campaigns by 12%",
    "Owned the experimentation platform and reviewed 60+ A/B tests",
    "Reduced warehouse costs by 25% through query and model tuning",
  ],
  design: [
    "Redesigned onboarding in {skill}, lifting activation by 18%",
    "Created and maintained the design system used by six product teams",
    "Ran 40 usability sessions per quarter and shared insights company-wide",
    "Led accessibility audits and fixed WCAG 2.1 AA issues across the app",
  ],
  product: [
    "Launched a self-serve billing product that reached 2M ARR in a year",
    "Defined the roadmap for a team of nine engineers and two designers",
    "Used {skill} to prioritise the backlog against customer research",
    "Shipped a pricing change that raised conversion by 9%",
  ],
  sales: [
    "Closed 140% of annual quota in two consecutive years",
    "Opened 35 new enterprise accounts in the DACH region",
    "Built a repeatable outbound playbook in {skill}",
    "Shortened the average sales cycle from 90 to 64 days",
  ],
  marketing: [
    "Grew organic traffic 3x in 18 months through {skill}",
    "Ran product launches for four major releases",
    "Built lifecycle email programs reaching 400,000 subscribers",
    "Managed a 1.2M annual paid media budget with positive ROI",
  ],
  finance: [
    "Built the three-statement {skill} model used for fundraising",
    "Shortened month-end close from ten to five working days",
    "Led the annual budgeting process across eight departments",
    "Prepared audit schedules for a clean first external audit",
  ],
  operations: [
    "Redesigned fulfilment processes, cutting delivery times by 22%",
    "Negotiated vendor contracts saving 400,000 per year",
    "Rolled out an ERP system to three warehouses",
    "Ran quarterly planning with {skill} across five teams",
  ],
  people: [
    "Hired 70 engineers in 12 months while keeping offer acceptance at 88%",
    "Rebuilt the interview process with structured scorecards",
    "Implemented {skill} and trained hiring managers on it",
    "Launched an onboarding program that improved 90-day retention",
  ],
};
