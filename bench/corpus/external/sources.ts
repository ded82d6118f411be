/**
 * The source resumes of the external corpus, written by hand as structured data. Every rendered
 * document and every label file is derived from these records, never from a parse.
 *
 * Skills named in running text are marked in braces — `{Python}` — by the author of the record:
 * the braces are dropped when a document is rendered and the marked names become labels. A skills
 * list's items become labels when the taxonomy knows them (items it does not know, like "Triage",
 * stay in the document and carry no label). All people, employers, schools and contact details are
 * fictional (example.com / example.org).
 */

/** A month as written in a source record: "2019-01". */
export type Month = `${number}-${string}`;

export interface SourcePosition {
  title: string;
  org: string;
  location: string;
  start: Month;
  /** null: the position is current. */
  end: Month | null;
  bullets: string[];
}

export interface SourceResume {
  id: string;
  name: string;
  headline: string;
  discipline: string;
  email: string;
  phone: string;
  location: string;
  summary: string;
  positions: SourcePosition[];
  education: { school: string; degree: string; field: string; year: number }[];
  /** The skills list as written (labels: the items the taxonomy knows). */
  skills: string[];
  languages: string[];
  certifications: string[];
}

export const SOURCES: SourceResume[] = [
  {
    id: "backend-okafor",
    name: "Maya Okafor",
    headline: "Senior Backend Engineer",
    discipline: "engineering",
    email: "maya.okafor@example.com",
    phone: "+1 555 0101",
    location: "Denver, CO",
    summary: "Backend engineer with nine years of building payment and ledger services in {Go} and {Python}, running them on {Kubernetes}.",
    positions: [
      {
        title: "Senior Backend Engineer",
        org: "Fernhill Payments",
        location: "Denver, CO",
        start: "2021-03",
        end: null,
        bullets: [
          "Led the move of the ledger from a monolith to event-driven services on {Apache Kafka}, cutting settlement time from hours to minutes.",
          "Designed the {PostgreSQL} partitioning scheme that keeps 4 billion rows queryable.",
          "Mentored five engineers and ran the backend interview loop.",
        ],
      },
      {
        title: "Software Engineer",
        org: "Bluecrest Analytics",
        location: "Boulder, CO",
        start: "2018-06",
        end: "2021-02",
        bullets: [
          "Built ingestion services in {Go} handling 40k events per second.",
          "Wrote the {Terraform} modules the whole company now uses for new services.",
        ],
      },
      {
        title: "Junior Developer",
        org: "Quarry Lane Software",
        location: "Omaha, NE",
        start: "2016-01",
        end: "2018-05",
        bullets: ["Maintained {Django} applications for regional insurers.", "Introduced automated tests and a {Jenkins} pipeline."],
      },
    ],
    education: [{ school: "Lakeshore University", degree: "B.S.", field: "Computer Science", year: 2015 }],
    skills: ["Go", "Python", "PostgreSQL", "Kubernetes", "Docker", "gRPC", "Redis", "Terraform"],
    languages: ["English", "Igbo"],
    certifications: ["Certified Kubernetes Administrator"],
  },
  {
    id: "data-lindqvist",
    name: "Tomas Lindqvist",
    headline: "Data Scientist",
    discipline: "data",
    email: "t.lindqvist@example.org",
    phone: "+46 70 555 0102",
    location: "Gothenburg, Sweden",
    summary: "Data scientist who turns messy operational data into forecasts people trust. Daily tools: {Python}, {SQL} and {dbt}.",
    positions: [
      {
        title: "Lead Data Scientist",
        org: "Norrsken Freight",
        location: "Gothenburg",
        start: "2022-09",
        end: null,
        bullets: [
          "Built demand forecasts with {scikit-learn} that cut empty truck kilometres by 12%.",
          "Moved the team's nightly jobs to {Apache Airflow} and {Snowflake}.",
        ],
      },
      {
        title: "Data Analyst",
        org: "Vattenfjord Energy",
        location: "Malmö",
        start: "2019-02",
        end: "2022-08",
        bullets: ["Owned the {Tableau} dashboards for grid operations.", "Ran {A/B Testing} for the customer app's tariff pages."],
      },
      {
        title: "Research Assistant",
        org: "Kattegat Institute of Technology",
        location: "Gothenburg",
        start: "2017-09",
        end: "2019-01",
        bullets: ["Analysed sensor data in {R} for a coastal erosion study."],
      },
    ],
    education: [{ school: "Kattegat Institute of Technology", degree: "M.Sc.", field: "Applied Statistics", year: 2018 }],
    skills: ["Python", "SQL", "pandas", "scikit-learn", "Machine Learning", "Statistics", "Data Visualization"],
    languages: ["Swedish", "English", "German"],
    certifications: [],
  },
  {
    id: "design-raman",
    name: "Priya Raman",
    headline: "Product Designer",
    discipline: "design",
    email: "priya.raman@example.com",
    phone: "+44 20 5550 0103",
    location: "London, UK",
    summary: "Product designer focused on complex B2B tools. I prototype in {Figma}, test early with users and maintain {design systems}.",
    positions: [
      {
        title: "Senior Product Designer",
        org: "Ledgerline",
        location: "London",
        start: "2020-04",
        end: null,
        bullets: [
          "Rebuilt the invoicing flow after {Usability Testing} with forty finance teams.",
          "Started and maintain the company's {Design Systems} library of 120 components.",
        ],
      },
      {
        title: "UX Designer",
        org: "Harbour & Finch Studio",
        location: "Bristol",
        start: "2017-07",
        end: "2020-03",
        bullets: ["Ran {User Research} for retail and travel clients.", "Delivered {Wireframing} and {Prototyping} for twelve launches."],
      },
    ],
    education: [{ school: "Royal Wessex College of Art", degree: "B.A.", field: "Graphic Design", year: 2017 }],
    skills: ["Figma", "Prototyping", "Interaction Design", "Accessibility", "Adobe Illustrator", "Design Thinking"],
    languages: ["English", "Tamil"],
    certifications: [],
  },
  {
    id: "sales-brooks",
    name: "Daniel Brooks",
    headline: "Enterprise Account Executive",
    discipline: "sales",
    email: "dbrooks@example.com",
    phone: "+1 555 0104",
    location: "Chicago, IL",
    summary: "{Quota-carrying} seller for mid-market and enterprise software, 118% of target over five years.",
    positions: [
      {
        title: "Enterprise Account Executive",
        org: "Corvid Security",
        location: "Chicago, IL",
        start: "2022-01",
        end: null,
        bullets: ["Closed the two largest deals in company history using {MEDDIC}.", "Kept every opportunity current in {Salesforce} and forecast within 5%."],
      },
      {
        title: "Account Executive",
        org: "Tallgrass HR Software",
        location: "Kansas City, MO",
        start: "2019-03",
        end: "2021-12",
        bullets: [
          "Grew a new territory from zero to $2.4M ARR through {Consultative Selling}.",
          "Built outbound sequences in {Outreach} for the mid-market team.",
        ],
      },
      {
        title: "Sales Development Representative",
        org: "Tallgrass HR Software",
        location: "Kansas City, MO",
        start: "2017-06",
        end: "2019-02",
        bullets: ["Booked 30 meetings a month with {Cold Calling} and {LinkedIn Sales Navigator}."],
      },
    ],
    education: [{ school: "Prairie State University", degree: "B.B.A.", field: "Marketing", year: 2017 }],
    skills: ["Salesforce", "MEDDIC", "Solution Selling", "Pipeline Management", "Gong", "Contract Negotiation"],
    languages: ["English"],
    certifications: [],
  },
  {
    id: "finance-petrova",
    name: "Elena Petrova",
    headline: "Senior Financial Analyst",
    discipline: "finance",
    email: "elena.petrova@example.org",
    phone: "+1 555 0105",
    location: "Toronto, ON",
    summary: "FP&A analyst who builds the models leadership plans with; strong in {Financial Modeling} and {Variance Analysis}.",
    positions: [
      {
        title: "Senior Financial Analyst",
        org: "Maple Ridge Foods",
        location: "Toronto, ON",
        start: "2021-05",
        end: null,
        bullets: [
          "Own the annual budget and monthly {Forecasting} for a $600M business.",
          "Automated the month-end pack in {Power BI}, saving four days a month.",
        ],
      },
      {
        title: "Financial Analyst",
        org: "Stonebridge Capital Partners",
        location: "Toronto, ON",
        start: "2018-08",
        end: "2021-04",
        bullets: [
          "Built {Discounted Cash Flow} and {Valuation} models for twenty acquisitions.",
          "Consolidated results from {NetSuite} for quarterly {board reporting}.",
        ],
      },
      {
        title: "Staff Accountant",
        org: "Keele & Mercer LLP",
        location: "Mississauga, ON",
        start: "2016-09",
        end: "2018-07",
        bullets: ["Prepared {Month-End Close} journals and {Accounts Payable} {reconciliations}."],
      },
    ],
    education: [{ school: "University of Lake Ontario", degree: "B.Com.", field: "Finance", year: 2016 }],
    skills: ["Excel", "Financial Modeling", "FP&A", "Budget Management", "Anaplan", "SQL"],
    languages: ["English", "Russian"],
    certifications: ["CFA Level II"],
  },
  {
    id: "nursing-mwangi",
    name: "Grace Mwangi",
    headline: "Registered Nurse",
    discipline: "nursing",
    email: "grace.mwangi@example.com",
    phone: "+1 555 0106",
    location: "Seattle, WA",
    summary: "Registered nurse with eight years in emergency and surgical care, known for calm triage and for teaching new nurses.",
    positions: [
      {
        title: "Charge Nurse",
        org: "Cascade Valley Medical Center",
        location: "Seattle, WA",
        start: "2022-02",
        end: null,
        bullets: [
          "Lead a team of fourteen nurses on night shifts in a 40-bed emergency department.",
          "Built the unit's staff {Scheduling} rota and cut overtime by 18%.",
        ],
      },
      {
        title: "Registered Nurse",
        org: "Pinecrest General Hospital",
        location: "Tacoma, WA",
        start: "2018-04",
        end: "2022-01",
        bullets: ["Cared for post-surgical patients on a 32-bed ward.", "Precepted and mentored twelve newly graduated nurses."],
      },
      {
        title: "Nursing Assistant",
        org: "Evergreen Care Home",
        location: "Olympia, WA",
        start: "2016-06",
        end: "2018-03",
        bullets: ["Supported residents with daily living and recorded vital signs."],
      },
    ],
    education: [{ school: "Puget Sound College of Nursing", degree: "B.S.N.", field: "Nursing", year: 2018 }],
    skills: ["Triage", "Patient Education", "IV Therapy", "Wound Care", "Mentoring", "Data Entry"],
    languages: ["English", "Swahili"],
    certifications: ["BLS", "ACLS", "TNCC"],
  },
  {
    id: "operations-ortega",
    name: "Luis Ortega",
    headline: "Operations Manager",
    discipline: "operations",
    email: "luis.ortega@example.com",
    phone: "+34 600 555 107",
    location: "Valencia, Spain",
    summary: "Operations manager for warehouses and {last-mile} networks; I run {Process Improvement} programmes with measurable savings.",
    positions: [
      {
        title: "Operations Manager",
        org: "Levante Distribución",
        location: "Valencia",
        start: "2020-10",
        end: null,
        bullets: [
          "Run three warehouses with 210 staff and a {Warehouse Management} system rollout.",
          "Cut picking errors by 40% with {Kaizen} events and {5S}.",
        ],
      },
      {
        title: "Logistics Coordinator",
        org: "Iberia Parts Supply",
        location: "Zaragoza",
        start: "2017-03",
        end: "2020-09",
        bullets: ["Planned inbound {Logistics} for 300 suppliers.", "Introduced {Demand Planning} in the {ERP} system."],
      },
    ],
    education: [{ school: "Universidad del Turia", degree: "B.Eng.", field: "Industrial Engineering", year: 2016 }],
    skills: ["Supply Chain Management", "Inventory Management", "Six Sigma", "Vendor Management", "SAP", "Root Cause Analysis"],
    languages: ["Spanish", "English", "Catalan"],
    certifications: ["Lean Six Sigma Green Belt"],
  },
  {
    id: "frontend-weber",
    name: "Hannah Weber",
    headline: "Frontend Engineer",
    discipline: "engineering",
    email: "hannah.weber@example.org",
    phone: "+49 30 5550 0108",
    location: "Berlin, Germany",
    summary: "Frontend engineer who cares about fast, accessible interfaces, mostly in {TypeScript} and {React}.",
    positions: [
      {
        title: "Frontend Engineer",
        org: "Spreewald Mobility",
        location: "Berlin",
        start: "2021-11",
        end: null,
        bullets: ["Rewrote the booking app in {Next.js}, halving time to interactive.", "Introduced {Storybook} and visual tests for the component library."],
      },
      {
        title: "Web Developer",
        org: "Agentur Lindenblatt",
        location: "Leipzig",
        start: "2019-01",
        end: "2021-10",
        bullets: ["Built client sites in {Vue.js} and plain {JavaScript}.", "Set up {Jest} tests and {GitHub Actions} for every project."],
      },
    ],
    education: [{ school: "Hochschule Elbtal", degree: "B.Sc.", field: "Media Informatics", year: 2018 }],
    skills: ["TypeScript", "React", "Next.js", "GraphQL", "CSS", "Accessibility", "Web Performance"],
    languages: ["German", "English"],
    certifications: [],
  },
  {
    id: "marketing-martin",
    name: "Chloé Martin",
    headline: "Growth Marketing Manager",
    discipline: "marketing",
    email: "chloe.martin@example.com",
    phone: "+33 6 55 50 01 09",
    location: "Lyon, France",
    summary: "Growth marketer for subscription products; strongest in {Search Engine Optimization}, lifecycle e-mail and paid acquisition.",
    positions: [
      {
        title: "Growth Marketing Manager",
        org: "Papillon Learning",
        location: "Lyon",
        start: "2021-06",
        end: null,
        bullets: [
          "Grew organic sign-ups 3x with a content programme and {Google Analytics} funnels.",
          "Run lifecycle campaigns in {HubSpot} for 900k subscribers.",
        ],
      },
      {
        title: "Digital Marketing Specialist",
        org: "Rhône Outdoor Co.",
        location: "Grenoble",
        start: "2018-09",
        end: "2021-05",
        bullets: ["Managed a €1.2M budget across {Google Ads} and {Paid Social}.", "Wrote landing pages and product {Copywriting} for three launches."],
      },
    ],
    education: [{ school: "École de Commerce de Fourvière", degree: "M.Sc.", field: "Digital Marketing", year: 2018 }],
    skills: ["SEO", "Google Analytics", "Email Marketing", "Marketing Automation", "Content Marketing", "A/B Testing"],
    languages: ["French", "English", "Italian"],
    certifications: ["Google Ads Search Certification"],
  },
  {
    id: "recruiting-adeyemi",
    name: "Samuel Adeyemi",
    headline: "Technical Recruiter",
    discipline: "people",
    email: "samuel.adeyemi@example.org",
    phone: "+1 555 0110",
    location: "Austin, TX",
    summary: "Full-cycle technical recruiter; I hire engineers and data people with structured interviews and honest sourcing.",
    positions: [
      {
        title: "Senior Technical Recruiter",
        org: "Bluebonnet Robotics",
        location: "Austin, TX",
        start: "2022-04",
        end: null,
        bullets: [
          "Hired 45 engineers in two years with {Boolean Search} sourcing and referrals.",
          "Run the hiring pipeline in {Greenhouse} and report funnel data to leadership.",
        ],
      },
      {
        title: "Recruiter",
        org: "Lone Oak Staffing",
        location: "Dallas, TX",
        start: "2019-05",
        end: "2022-03",
        bullets: ["Placed 120 contract developers with clients in banking and retail.", "Trained new recruiters in {Interviewing} and {Onboarding}."],
      },
    ],
    education: [{ school: "Brazos Valley University", degree: "B.A.", field: "Psychology", year: 2019 }],
    skills: ["Recruiting", "Sourcing", "Talent Acquisition", "Employer Branding", "Lever", "HRIS"],
    languages: ["English", "Yoruba"],
    certifications: [],
  },
  {
    id: "sre-watanabe",
    name: "Kenji Watanabe",
    headline: "Site Reliability Engineer",
    discipline: "engineering",
    email: "kenji.watanabe@example.com",
    phone: "+81 90 5550 0111",
    location: "Osaka, Japan",
    summary: "{SRE} who keeps large {Kubernetes} fleets boring; {on call} for eight years without losing a night's sleep to the same incident twice.",
    positions: [
      {
        title: "Staff Site Reliability Engineer",
        org: "Kansai Cloudworks",
        location: "Osaka",
        start: "2020-02",
        end: null,
        bullets: [
          "Run 60 clusters on {Amazon Web Services} managed with {Terraform} and {Helm}.",
          "Built SLO alerting on {Prometheus} and {Grafana} for 300 services.",
        ],
      },
      {
        title: "Systems Engineer",
        org: "Naniwa Telecom",
        location: "Osaka",
        start: "2016-04",
        end: "2020-01",
        bullets: ["Automated server builds with {Ansible} across two data centres.", "Wrote {Bash} and {Python} tooling for {Linux} patching."],
      },
      {
        title: "IT Support Engineer",
        org: "Yodogawa Trading",
        location: "Kobe",
        start: "2014-04",
        end: "2016-03",
        bullets: ["Supported 400 staff and the office network."],
      },
    ],
    education: [{ school: "Kansai Institute of Engineering", degree: "B.Eng.", field: "Information Engineering", year: 2014 }],
    skills: ["Kubernetes", "Terraform", "Prometheus", "Incident Management", "Go", "Linux"],
    languages: ["Japanese", "English"],
    certifications: ["AWS Certified Solutions Architect"],
  },
  {
    id: "mechanical-rahman",
    name: "Aisha Rahman",
    headline: "Mechanical Design Engineer",
    discipline: "engineering",
    email: "aisha.rahman@example.org",
    phone: "+1 555 0112",
    location: "Detroit, MI",
    summary: "Mechanical engineer designing parts for volume manufacturing, from concept in {SolidWorks} to production launch.",
    positions: [
      {
        title: "Mechanical Design Engineer",
        org: "Huron Drive Systems",
        location: "Detroit, MI",
        start: "2021-08",
        end: null,
        bullets: ["Designed gearbox housings in {SolidWorks} for three vehicle programmes.", "Ran tolerance stack-ups and thermal models in {MATLAB}."],
      },
      {
        title: "Manufacturing Engineer",
        org: "Great Lakes Stamping",
        location: "Toledo, OH",
        start: "2018-06",
        end: "2021-07",
        bullets: ["Cut scrap by 22% with {Root Cause Analysis} on two press lines.", "Drew fixtures in {AutoCAD} and released them to the tool room."],
      },
    ],
    education: [{ school: "Huron State University", degree: "B.S.", field: "Mechanical Engineering", year: 2018 }],
    skills: ["SolidWorks", "AutoCAD", "MATLAB", "GD&T", "Manufacturing", "Six Sigma"],
    languages: ["English", "Bengali"],
    certifications: ["Certified SolidWorks Professional"],
  },
];
