/**
 * Job postings of the demo organisation, written like real ones: a description, requirement lists
 * (HTML `<li>` items as Lever stores them) and a closing paragraph.
 */
import type { Discipline } from "./resumes/people-data.ts";

export interface DemoPosting {
  key: string;
  text: string;
  discipline: Discipline;
  department: string;
  team: string;
  location: string;
  country: string;
  commitment: string;
  workplaceType: "onsite" | "remote" | "hybrid";
  state: "published" | "internal" | "closed";
  distributionChannels: ("public" | "internal")[];
  confidential: boolean;
  description: string;
  lists: { text: string; items: string[] }[];
  salary: { min: number; max: number; currency: string; interval: string } | null;
}

const closing =
  "Northwind Demo Co. is an equal opportunity employer. We welcome applicants of every background and make reasonable adjustments throughout our hiring process; tell your recruiter what you need.";

export const demoPostings: readonly DemoPosting[] = [
  {
    key: "backend",
    text: "Senior Backend Engineer, Payments",
    discipline: "engineering",
    department: "Engineering",
    team: "Payments Platform",
    location: "Lisbon",
    country: "PT",
    commitment: "Full-time",
    workplaceType: "hybrid",
    state: "published",
    distributionChannels: ["public", "internal"],
    confidential: false,
    description:
      "The Payments Platform team moves every euro that flows through our product: card acquiring, payouts to 40,000 merchants and the ledger behind them. We are looking for a senior backend engineer to design and run services that must be correct first and fast second. You will own features end to end, from design review to on-call, and help shape how we evolve a Node.js and PostgreSQL platform that processes two million transactions a day.",
    lists: [
      {
        text: "What you will do",
        items: [
          "Design, build and operate TypeScript services on Node.js that handle payment authorisation and settlement",
          "Model money movements in PostgreSQL with strict consistency and auditable history",
          "Improve reliability: idempotent APIs, retries, back-pressure and graceful degradation",
          "Review designs and code, and mentor engineers on the team",
          "Take part in a fair, well-paid on-call rotation",
        ],
      },
      {
        text: "What you bring",
        items: [
          "5+ years building backend systems in production",
          "Strong TypeScript or another typed language (Go, Kotlin, Java)",
          "Deep experience with PostgreSQL or a comparable relational database",
          "Experience with distributed systems: queues such as Kafka, caching with Redis, eventual consistency",
          "Clear written communication in English",
        ],
      },
      { text: "Nice to have", items: ["Payments, banking or other regulated domains", "Kubernetes and Terraform on AWS", "PCI DSS experience"] },
    ],
    salary: { min: 75000, max: 95000, currency: "EUR", interval: "per-year-salary" },
  },
  {
    key: "data",
    text: "Data Scientist, Marketplace",
    discipline: "data",
    department: "Data",
    team: "Marketplace Analytics",
    location: "Berlin",
    country: "DE",
    commitment: "Full-time",
    workplaceType: "hybrid",
    state: "published",
    distributionChannels: ["public", "internal"],
    confidential: false,
    description:
      "Our marketplace matches supply and demand in real time, and every pricing or ranking decision is an experiment. As a data scientist on Marketplace Analytics you will build the models and the measurement that tell us what works. You will partner with product managers and engineers, run and review A/B tests, and turn messy event data into decisions the company trusts.",
    lists: [
      {
        text: "Responsibilities",
        items: [
          "Design, run and analyse A/B tests on pricing, ranking and incentives",
          "Build forecasting and causal-inference models in Python",
          "Own core marketplace metrics and the dbt models behind them",
          "Present findings to leadership in clear, honest writing",
        ],
      },
      {
        text: "Requirements",
        items: [
          "3+ years as a data scientist or quantitative analyst",
          "Excellent SQL and Python (pandas, scikit-learn or statsmodels)",
          "Solid statistics: hypothesis testing, regression, experiment design",
          "Experience with a cloud warehouse such as BigQuery or Snowflake",
        ],
      },
      { text: "Bonus points", items: ["Marketplace or two-sided platform experience", "Airflow or another orchestration tool", "Bayesian methods"] },
    ],
    salary: { min: 70000, max: 90000, currency: "EUR", interval: "per-year-salary" },
  },
  {
    key: "design",
    text: "Product Designer, Merchant Experience",
    discipline: "design",
    department: "Design",
    team: "Merchant Experience",
    location: "Amsterdam",
    country: "NL",
    commitment: "Full-time",
    workplaceType: "remote",
    state: "published",
    distributionChannels: ["public", "internal"],
    confidential: false,
    description:
      "Merchants run their business from our dashboard, often on a phone between customers. We are hiring a product designer to make that experience calm, fast and accessible. You will work in a small cross-functional squad, lead discovery with user research, and ship designs built on our Figma design system.",
    lists: [
      {
        text: "In this role you will",
        items: [
          "Lead design for merchant onboarding, payouts and reporting",
          "Plan and run usability tests and customer interviews",
          "Prototype interactions in Figma and validate them early",
          "Contribute components and guidelines to the design system",
        ],
      },
      {
        text: "We are looking for",
        items: [
          "3+ years of product design for web or mobile apps",
          "A portfolio showing problem framing, iteration and shipped work",
          "Fluency in Figma and prototyping",
          "Working knowledge of accessibility standards (WCAG 2.1)",
        ],
      },
    ],
    salary: null,
  },
  {
    key: "product",
    text: "Product Manager, Growth",
    discipline: "product",
    department: "Product",
    team: "Growth",
    location: "London",
    country: "GB",
    commitment: "Full-time",
    workplaceType: "hybrid",
    state: "published",
    distributionChannels: ["public", "internal"],
    confidential: false,
    description:
      "The Growth team owns the journey from first visit to first successful payment. As product manager you will set the team's strategy, decide what not to build, and measure everything you ship. You will work with a team of six engineers, a designer and a data scientist.",
    lists: [
      {
        text: "What you will do",
        items: [
          "Own the growth roadmap and the metrics it moves",
          "Turn research and funnel data into clear problem statements",
          "Run experiments with engineering and data, and act on the results",
          "Communicate plans and trade-offs to stakeholders across the company",
        ],
      },
      {
        text: "What you need",
        items: [
          "4+ years of product management for a software product",
          "Hands-on experimentation experience and comfort with SQL",
          "Experience with product analytics such as Amplitude or Mixpanel",
          "A record of shipping outcomes, not just features",
        ],
      },
    ],
    salary: { min: 80000, max: 100000, currency: "GBP", interval: "per-year-salary" },
  },
  {
    key: "sales",
    text: "Enterprise Account Executive, DACH",
    discipline: "sales",
    department: "Sales",
    team: "Enterprise Sales",
    location: "Berlin",
    country: "DE",
    commitment: "Full-time",
    workplaceType: "onsite",
    state: "published",
    distributionChannels: ["public", "internal"],
    confidential: false,
    description:
      "We are expanding in Germany, Austria and Switzerland and need an enterprise account executive to win and grow our largest accounts. You will run complex sales cycles with finance and IT buyers, work closely with solutions engineering, and help build the regional playbook.",
    lists: [
      {
        text: "Responsibilities",
        items: [
          "Own a named list of enterprise prospects in the DACH region",
          "Run full sales cycles from discovery to signature using MEDDIC",
          "Keep an accurate pipeline and forecast in Salesforce",
          "Partner with marketing on events and account-based campaigns",
        ],
      },
      {
        text: "Requirements",
        items: [
          "5+ years of B2B SaaS sales, at least 2 in enterprise",
          "A record of meeting or beating quota",
          "Fluent German and English",
          "Experience selling to finance or IT buyers",
        ],
      },
    ],
    salary: { min: 70000, max: 85000, currency: "EUR", interval: "per-year-salary" },
  },
  {
    key: "marketing",
    text: "Product Marketing Manager",
    discipline: "marketing",
    department: "Marketing",
    team: "Product Marketing",
    location: "New York, NY",
    country: "US",
    commitment: "Full-time",
    workplaceType: "hybrid",
    state: "published",
    distributionChannels: ["public", "internal"],
    confidential: false,
    description:
      "Product marketing connects what we build with the people who need it. You will own positioning and launches for our merchant products, equip sales with the stories and material they need, and bring customer insight back to product.",
    lists: [
      {
        text: "You will",
        items: [
          "Own positioning, messaging and pricing pages for two product lines",
          "Plan and run launches with product, sales and support",
          "Build sales enablement: decks, battlecards and demos",
          "Run win-loss interviews and competitive research",
        ],
      },
      {
        text: "You have",
        items: [
          "4+ years in product marketing for B2B software",
          "Excellent copywriting and storytelling",
          "Experience with HubSpot or Marketo",
          "Comfort working with data to measure campaigns",
        ],
      },
    ],
    salary: { min: 120000, max: 145000, currency: "USD", interval: "per-year-salary" },
  },
  {
    key: "finance",
    text: "Senior Financial Analyst, FP&A",
    discipline: "finance",
    department: "Finance",
    team: "FP&A",
    location: "Dublin",
    country: "IE",
    commitment: "Full-time",
    workplaceType: "hybrid",
    state: "published",
    distributionChannels: ["public", "internal"],
    confidential: false,
    description:
      "Our FP&A team gives the company an honest picture of where money goes and where it should go next. As senior financial analyst you will own the operating model, lead the budgeting cycle for several departments, and partner with leaders on hiring and investment decisions.",
    lists: [
      {
        text: "Key responsibilities",
        items: [
          "Own the three-statement financial model and monthly forecasts",
          "Lead annual budgeting and quarterly reforecasts for four departments",
          "Prepare variance analysis and board reporting",
          "Improve our planning tools and processes",
        ],
      },
      {
        text: "Qualifications",
        items: [
          "4+ years in FP&A, corporate finance or investment banking",
          "Advanced Excel or Google Sheets financial modelling",
          "Experience with NetSuite or another ERP",
          "A recognised accounting qualification (ACA, ACCA or CPA) is a plus",
        ],
      },
    ],
    salary: { min: 65000, max: 80000, currency: "EUR", interval: "per-year-salary" },
  },
  {
    key: "operations",
    text: "Operations Manager, Merchant Support",
    discipline: "operations",
    department: "Operations",
    team: "Merchant Support",
    location: "Nairobi",
    country: "KE",
    commitment: "Full-time",
    workplaceType: "onsite",
    state: "published",
    distributionChannels: ["public", "internal"],
    confidential: false,
    description:
      "Merchant Support answers 30,000 conversations a month across chat, e-mail and phone. We are hiring an operations manager to run the Nairobi hub: staffing, quality, tooling and the processes that keep response times low while the team grows.",
    lists: [
      {
        text: "What you will own",
        items: [
          "Workforce planning and scheduling for a team of 40",
          "Service-level and quality metrics, and the plans to improve them",
          "Vendor management for telephony and outsourcing partners",
          "Process improvement with Lean methods",
        ],
      },
      {
        text: "What we need",
        items: [
          "5+ years in operations, at least 2 managing managers",
          "Strong analytical skills in Excel and SQL",
          "Experience running change across teams",
          "Project management certification (PMP or similar) is welcome",
        ],
      },
    ],
    salary: null,
  },
  {
    key: "people",
    text: "Senior Technical Recruiter",
    discipline: "people",
    department: "People",
    team: "Talent Acquisition",
    location: "Toronto, ON",
    country: "CA",
    commitment: "Full-time",
    workplaceType: "remote",
    state: "internal",
    distributionChannels: ["internal"],
    confidential: false,
    description:
      "We hire about a hundred engineers a year and want every candidate to have a fair, structured and respectful process. As senior technical recruiter you will partner with engineering leaders, source great people, and keep our interview loops consistent and fast.",
    lists: [
      {
        text: "Responsibilities",
        items: [
          "Run full-cycle recruiting for engineering and data roles",
          "Source candidates proactively and build diverse pipelines",
          "Coach hiring managers on structured interviews and scorecards",
          "Keep the ATS accurate and report on funnel health",
        ],
      },
      {
        text: "Requirements",
        items: [
          "4+ years of technical recruiting, in-house or agency",
          "Experience with Lever, Greenhouse or another ATS",
          "Good understanding of software engineering roles",
          "Excellent written and spoken English",
        ],
      },
    ],
    salary: { min: 95000, max: 115000, currency: "CAD", interval: "per-year-salary" },
  },
  {
    key: "vp-engineering",
    text: "VP of Engineering",
    discipline: "engineering",
    department: "Engineering",
    team: "Leadership",
    location: "Lisbon",
    country: "PT",
    commitment: "Full-time",
    workplaceType: "hybrid",
    state: "internal",
    distributionChannels: ["internal"],
    confidential: true,
    description:
      "A confidential search for our next VP of Engineering, who will lead 80 engineers across five product areas, report to the CTO and own engineering strategy, delivery and culture.",
    lists: [
      {
        text: "Responsibilities",
        items: [
          "Lead and grow engineering managers across five product areas",
          "Own delivery, reliability and the engineering budget",
          "Shape hiring, career frameworks and engineering culture",
        ],
      },
      {
        text: "Requirements",
        items: [
          "10+ years in software engineering, 5+ leading managers",
          "Experience scaling an organisation past 50 engineers",
          "Background in payments or fintech",
        ],
      },
    ],
    salary: null,
  },
  {
    key: "frontend-closed",
    text: "Frontend Engineer",
    discipline: "engineering",
    department: "Engineering",
    team: "Merchant Experience",
    location: "Barcelona",
    country: "ES",
    commitment: "Full-time",
    workplaceType: "remote",
    state: "closed",
    distributionChannels: ["public", "internal"],
    confidential: false,
    description: "A closed posting for a frontend engineer to build our merchant dashboard in React and TypeScript.",
    lists: [{ text: "Requirements", items: ["3+ years with React and TypeScript", "Care for accessibility and performance"] }],
    salary: null,
  },
];

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Lever's `content` object for a posting. */
export function postingContent(p: DemoPosting): {
  description: string;
  descriptionHtml: string;
  lists: { text: string; content: string }[];
  closing: string;
  closingHtml: string;
} {
  return {
    description: p.description,
    descriptionHtml: `<div>${escapeHtml(p.description)}</div>`,
    lists: p.lists.map((l) => ({ text: l.text, content: l.items.map((i) => `<li>${escapeHtml(i)}</li>`).join("") })),
    closing,
    closingHtml: `<div>${escapeHtml(closing)}</div>`,
  };
}
