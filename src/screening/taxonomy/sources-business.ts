/** Source lists for the skills taxonomy: sales, marketing, finance, operations, people. Format as in sources-engineering.ts. */
export const sales = `
B2B Sales | business-to-business sales
B2C Sales
Enterprise Sales | enterprise selling
SaaS Sales
Inside Sales
Field Sales | outside sales
Solution Selling | solutions selling
Consultative Selling | consultative sales
Value Selling | value-based selling
SPIN Selling
Challenger Sale | Challenger selling
MEDDIC | MEDDPICC
Sandler Selling | Sandler
Target Account Selling | TAS
Account-Based Selling
Strategic Selling | Miller Heiman
Sales Prospecting | prospecting
Lead Generation | lead gen
Lead Qualification | BANT
Cold Calling
Cold Emailing | cold outreach
Social Selling
Outbound Sales
Inbound Sales
Pipeline Management | pipeline generation
Sales Forecasting
Territory Management | territory planning
Account Management | key account management | KAM
Strategic Account Management
Account Planning
Customer Success | customer success management
Customer Retention
Upselling
Cross-Selling | cross-sell
Renewals | renewal management
Contract Negotiation | negotiation | negotiations
Deal Closing
Sales Presentations | product demos
Proposal Writing | RFP responses | RFP | RFPs
Channel Sales | channel partnerships | partner sales
Partner Management
Business Development | BizDev
Sales Operations | sales ops
Revenue Operations | RevOps
Sales Enablement
Sales Coaching
Sales Management
Sales Strategy
Quota Attainment | quota carrying
Sales Compensation Planning | sales comp
CRM | customer relationship management
Salesforce | SFDC | Salesforce.com | Salesforce CRM
Salesforce Sales Cloud | Sales Cloud
Salesforce Service Cloud | Service Cloud
HubSpot | HubSpot CRM
Pipedrive
Zoho CRM | Zoho
Microsoft Dynamics 365 | Dynamics 365 | Dynamics CRM
Outreach | Outreach.io
Salesloft
Gong | Gong.io
Chorus.ai
Clari
ZoomInfo
Apollo.io
LinkedIn Sales Navigator | Sales Navigator
Seamless.ai
Lusha
DocuSign
PandaDoc
CPQ | configure price quote
Gainsight
ChurnZero
Totango
Zendesk
Freshdesk
Intercom
Customer Onboarding | onboarding customers
Customer Support | customer service | technical support
Technical Account Management | TAM
Solutions Engineering | sales engineering | pre-sales | presales
Solutions Architecture
Retail Sales
Real Estate Sales
Insurance Sales
Medical Device Sales
Pharmaceutical Sales | pharma sales
Automotive Sales
Wholesale
Distribution Sales
Government Sales | public sector sales
Procurement Negotiation
`;

export const marketing = `
Digital Marketing | online marketing
Content Marketing
Content Strategy
Content Creation
Copywriting
Copy Editing | copyediting
Blogging
Storytelling
Brand Management | brand marketing
Brand Strategy
Brand Positioning | positioning
Messaging | messaging frameworks
Marketing Strategy
Integrated Marketing | integrated campaigns
Campaign Management | marketing campaigns
Demand Generation | demand gen
Growth Marketing | growth hacking
Performance Marketing
Lifecycle Marketing | CRM marketing
Email Marketing | email campaigns
Marketing Automation
Account-Based Marketing | ABM
Field Marketing
Event Marketing | event management
Partner Marketing
Channel Marketing
Trade Marketing
Influencer Marketing | influencer partnerships
Affiliate Marketing
Referral Marketing
Community Management | community building
Social Media Marketing | SMM | social media
Social Media Management
Paid Social | paid social media
Search Engine Optimization | SEO
Technical SEO
Local SEO
Search Engine Marketing | SEM | paid search | PPC | pay-per-click
Conversion Rate Optimization | CRO
Landing Page Optimization
Programmatic Advertising | programmatic
Display Advertising
Video Marketing
Mobile Marketing
App Store Optimization | ASO
User Acquisition
Marketing Analytics
Marketing Operations | marketing ops | MOps
Market Segmentation
Customer Journey Optimization
Public Relations | PR | media relations
Crisis Communications
Corporate Communications
Internal Communications
Press Releases
Speechwriting
Thought Leadership
Product Positioning
Competitive Positioning
Pricing and Packaging
Customer Marketing
Advocacy Marketing
Podcasting | podcast production
Webinars | webinar production
Media Planning | media buying
Advertising | ad campaigns
Out-of-Home Advertising | OOH
TV Advertising | broadcast advertising
Print Advertising
Direct Mail
Sponsorships
Marketing Budget Management | marketing budgets
Google Ads | Google AdWords | AdWords
Meta Ads | Facebook Ads | Facebook Ads Manager | Instagram Ads
LinkedIn Ads | LinkedIn Campaign Manager
TikTok Ads
Twitter Ads | X Ads
Microsoft Advertising | Bing Ads
Amazon Advertising | Amazon Ads
Google Tag Manager | GTM tags
Google Search Console | Search Console
SEMrush | Semrush
Ahrefs
Moz
Screaming Frog
HubSpot Marketing Hub | HubSpot Marketing
Marketo | Adobe Marketo
Pardot | Marketing Cloud Account Engagement
Salesforce Marketing Cloud | SFMC | ExactTarget
Eloqua | Oracle Eloqua
Mailchimp
Klaviyo
Braze
Iterable
Customer.io
Sendinblue | Brevo
ActiveCampaign
Hootsuite
Buffer
Sprout Social
Later
Canva for Marketing
Contentful
Sanity
Strapi
Optimizely
VWO
Unbounce
Instapage
Hootsuite Analytics
Brandwatch
Meltwater
Cision
Sprinklr
Adobe Experience Manager | AEM
Adobe Target
6sense
Demandbase
Terminus
Bizible | Marketo Measure
Drift
Qualified
`;

export const finance = `
Financial Analysis
Financial Modeling | financial modelling
Financial Planning and Analysis | FP&A | FP and A
Financial Reporting
Financial Statements | financial statement analysis
Budgeting and Forecasting | budgeting & forecasting
Variance Analysis
Cash Flow Management | cash flow forecasting | cash management
Treasury | treasury management
Working Capital Management
Corporate Finance
Valuation | business valuation
Discounted Cash Flow | DCF
Leveraged Buyout Modeling | LBO
Mergers and Acquisitions | M&A | mergers & acquisitions
Due Diligence
Capital Markets
Equity Research
Investment Banking
Private Equity | PE
Venture Capital | VC
Asset Management
Wealth Management
Portfolio Management Finance | portfolio construction
Fixed Income
Derivatives
Options Pricing
Risk Modeling | credit risk modeling
Credit Analysis | credit risk
Market Risk
Operational Risk
Liquidity Risk
Value at Risk | VaR
Basel III | Basel
Quantitative Finance | quant finance
Algorithmic Trading | algo trading
Trading
Hedge Accounting
Accounting
Financial Accounting
Management Accounting | managerial accounting
Cost Accounting
Bookkeeping
General Ledger
Accounts Payable
Accounts Receivable
Billing
Collections
Payroll | payroll processing
Month-End Close | month end close | financial close
Year-End Close
Account Reconciliation | reconciliations | bank reconciliation
Journal Entries
Accruals
Fixed Asset Accounting | fixed assets
Revenue Recognition | ASC 606 | IFRS 15
Lease Accounting | ASC 842 | IFRS 16
Consolidation | financial consolidation
Intercompany Accounting
US GAAP | GAAP
IFRS
SOX Compliance | Sarbanes-Oxley | SOX
Internal Controls
Internal Audit
External Audit | audit
Statutory Reporting
SEC Reporting
Tax
Tax Planning
Tax Compliance
Corporate Tax
Indirect Tax | VAT | sales tax
Transfer Pricing
Cost Analysis | cost control
Pricing Analysis
Unit Economics
Profitability Analysis | P&L management | P&L
Investor Relations
Fundraising | capital raising
Board Reporting | board decks
Cap Table Management | cap tables
Equity Compensation | stock-based compensation
Procurement Finance | procure-to-pay | P2P
Order-to-Cash | O2C | OTC
Record-to-Report | R2R
Expense Management
Audit Readiness
Forensic Accounting
Actuarial Modeling
Insurance Underwriting | underwriting
Claims Management | claims handling
Anti-Money Laundering | AML
Know Your Customer | KYC
Regulatory Compliance
Financial Regulation
Bloomberg Terminal | Bloomberg
FactSet
Capital IQ | S&P Capital IQ
Refinitiv Eikon | Eikon
PitchBook
QuickBooks
Xero
NetSuite | Oracle NetSuite
SAP | SAP ERP
SAP S/4HANA | S/4HANA
SAP FICO | SAP FI/CO
Oracle Financials | Oracle EBS
Workday Financials
Sage Intacct
Microsoft Dynamics GP | Dynamics GP
Anaplan
Adaptive Insights | Workday Adaptive Planning
Hyperion | Oracle Hyperion
BlackLine
Coupa
Concur | SAP Concur
Expensify
Bill.com
Brex
Ramp
Carta
Stripe Billing
Chargebee
Zuora
Avalara
`;

export const operations = `
Operations Management
Business Operations | bizops
Strategy and Operations | strategy & operations
Process Improvement | continuous improvement | process optimization
Business Process Improvement | BPI
Lean Manufacturing | lean production
Six Sigma | Lean Six Sigma
Kaizen
5S
Root Cause Analysis | RCA
Total Quality Management | TQM
Quality Management | quality management systems | QMS
Quality Control | QC
ISO 9001
Statistical Process Control | SPC
Failure Mode and Effects Analysis | FMEA
Supply Chain Management | SCM
Logistics
Procurement
Strategic Sourcing
Supplier Management | supplier relationship management
Category Management
Inventory Management | inventory control
Demand Planning
Supply Planning
Sales and Operations Planning | S&OP
Materials Requirements Planning | MRP
Production Planning | production scheduling
Warehouse Management | warehousing
Warehouse Management Systems | WMS
Transportation Management | TMS
Fleet Management
Distribution | distribution management
Last-Mile Delivery | last mile
Import/Export | customs compliance | trade compliance
Freight Forwarding
Order Fulfillment | order management
Manufacturing | manufacturing operations
Manufacturing Engineering
Industrial Engineering
Mechanical Engineering
Electrical Engineering
Civil Engineering
Chemical Engineering
Process Engineering
Quality Engineering
Reliability Engineering
Maintenance Management | preventive maintenance
Health and Safety | EHS | HSE | occupational health and safety
OSHA Compliance | OSHA
Facilities Management
Real Estate Management | workplace management
Field Operations | field service
Customer Operations
Service Delivery
IT Service Management | ITSM
ITIL
ServiceNow
IT Operations | IT ops
Help Desk | service desk | IT support
Desktop Support
System Administration | sysadmin | systems administration
Network Administration
Endpoint Management | MDM solutions | Jamf | Intune
Microsoft 365 | Office 365 | O365 | M365
Google Workspace | G Suite | GSuite
Microsoft Office | MS Office
Microsoft Word | MS Word
Microsoft PowerPoint | PowerPoint | MS PowerPoint
Microsoft Outlook | Outlook
Microsoft Teams
SharePoint
Slack
Zoom
Zapier
Make.com | Integromat
Workato
MuleSoft
Boomi | Dell Boomi
Robotic Process Automation | RPA
UiPath
Automation Anywhere
Blue Prism
Power Automate | Microsoft Flow
Power Apps
Low-Code Development | low-code | no-code
ERP | enterprise resource planning
SAP SCM
SAP MM
SAP PP
Oracle SCM
Infor
Epicor
Odoo
Kinaxis
Blue Yonder | JDA
Manhattan Associates
Vendor Negotiation
Contract Management
Cost Reduction | cost savings
Budget Planning
KPI Tracking | operational metrics
Operational Excellence
Business Continuity Planning | BCP | business continuity
Crisis Management
Project Coordination
Scheduling
Event Planning | event coordination
Travel Management | travel coordination
Office Management | office administration
Executive Assistance | executive support | EA
Calendar Management
Data Entry
Records Management | document management
Customer Service Operations | contact center operations | call center operations
Workforce Management | WFM
Dispatch | dispatching
Route Optimization | route planning
Food Safety | HACCP
Retail Operations | store operations
Merchandising | visual merchandising
Hospitality Management
Restaurant Management
Clinical Operations
Laboratory Management | lab management
Regulatory Affairs
Good Manufacturing Practice | GMP | cGMP
Validation | computer system validation | CSV
Legal Operations | legal ops
Contract Drafting
Corporate Governance
Paralegal
Intellectual Property
Privacy Compliance
Policy Development | policy writing
Grant Writing | grant management
Nonprofit Management
Public Speaking | presentation skills
Written Communication
Verbal Communication | communication skills | communication
Leadership | team leadership | people leadership
Team Management | managing teams | people management
Strategic Planning
Decision Making
Problem Solving
Critical Thinking
Negotiation Skills
Conflict Resolution
Time Management
Organization Skills | organizational skills
Attention to Detail | detail oriented
Collaboration
Adaptability
Emotional Intelligence
Customer Focus | customer obsession | customer-centric
Analytical Skills | analytical thinking
Creativity | creative thinking
Facilitation | workshop facilitation
Consulting | management consulting
Executive Presence
Influencing | influence without authority
Cross-Cultural Communication
Remote Collaboration
`;

export const people = `
Human Resources | HR
Talent Acquisition
Recruiting
Technical Recruiting | tech recruiting
Executive Search | executive recruiting
Full-Cycle Recruiting | full cycle recruiting | 360 recruiting | end-to-end recruiting
Sourcing Candidates | candidate sourcing | talent sourcing | sourcing
Boolean Search | boolean sourcing | X-ray search
Candidate Screening | phone screens
Interviewing | interview skills | structured interviewing
Candidate Experience
Employer Branding | employer brand
Campus Recruiting | university recruiting | graduate recruitment
Diversity Recruiting | diverse sourcing
High-Volume Recruiting | volume hiring | high volume hiring
Recruitment Marketing
Offer Negotiation | offer management
Onboarding | employee onboarding
Offboarding
HR Business Partnering | HRBP | HR business partner
Employee Relations
Labor Relations | industrial relations | union relations
Workplace Investigations | investigations
Employment Law | labor law | labour law
HR Compliance
HR Policies | policy design
Performance Management | performance reviews
Talent Management
Succession Planning
Workforce Planning | headcount planning
Organizational Design | org design | organisational design
Organizational Development | organisational development
Change Management HR | organizational change
Learning and Development | L&D | training and development
Training Delivery | corporate training
Curriculum Development | curriculum design
E-Learning | eLearning | e-learning development
Leadership Development
Coaching | executive coaching | career coaching
Mentoring Programs
Career Development | career pathing
Employee Engagement
Employee Experience
Culture Building | company culture
Diversity, Equity and Inclusion | DEI | D&I | DE&I | diversity and inclusion
Pay Equity
Compensation | compensation design
Benefits Administration | employee benefits
Total Rewards
Compensation Benchmarking | salary benchmarking | market pricing
Job Evaluation | job architecture | job leveling
Equity Administration
HR Analytics | people analytics | workforce analytics
HR Operations | people operations | people ops
HR Information Systems | HRIS
Payroll Administration
Immigration | visa sponsorship | immigration support
Global Mobility | relocation
Employee Wellbeing | wellness programs
Engagement Surveys | pulse surveys
Exit Interviews
Retention Strategy | employee retention
Workday | Workday HCM
SAP SuccessFactors | SuccessFactors
Oracle HCM | Oracle HCM Cloud
BambooHR
ADP | ADP Workforce Now
UKG | UltiPro | Kronos
Rippling
Gusto
Deel
Remote.com
HiBob
Personio
Namely
Paylocity
Paycom
Paychex
Ceridian Dayforce | Dayforce
Greenhouse
Lever
Workable
iCIMS
Taleo | Oracle Taleo
SmartRecruiters
Jobvite
SuccessFactors Recruiting
Ashby
SeekOut
hireEZ | Hiretual
Gem
Beamery
LinkedIn Recruiter
Indeed
Glassdoor
HackerRank
Codility
CoderPad
Culture Amp
Lattice
15Five
Leapsome
Qualtrics EmployeeXM
Glint
Docebo
Cornerstone OnDemand | Cornerstone
Degreed
360Learning
Articulate Storyline | Articulate 360
Adobe Captivate
SHRM Body of Knowledge
`;

export const certifications = `
AWS Certified Solutions Architect | AWS Solutions Architect | AWS Certified Solutions Architect – Associate | AWS Certified Solutions Architect – Professional
AWS Certified Developer | AWS Certified Developer – Associate
AWS Certified SysOps Administrator
AWS Certified DevOps Engineer | AWS Certified DevOps Engineer – Professional
AWS Certified Cloud Practitioner
AWS Certified Machine Learning – Specialty | AWS Certified Machine Learning
AWS Certified Data Engineer | AWS Certified Data Analytics
AWS Certified Security – Specialty
Google Professional Cloud Architect | Professional Cloud Architect
Google Professional Data Engineer | Professional Data Engineer
Google Associate Cloud Engineer
Microsoft Certified: Azure Fundamentals | AZ-900
Microsoft Certified: Azure Administrator Associate | AZ-104
Microsoft Certified: Azure Solutions Architect Expert | AZ-305
Microsoft Certified: Azure Developer Associate | AZ-204
Microsoft Certified: Azure Data Engineer Associate | DP-203
Certified Kubernetes Administrator | CKA
Certified Kubernetes Application Developer | CKAD
Certified Kubernetes Security Specialist | CKS
HashiCorp Certified: Terraform Associate | Terraform Associate
Red Hat Certified Engineer | RHCE
Red Hat Certified System Administrator | RHCSA
Cisco Certified Network Associate | CCNA
Cisco Certified Network Professional | CCNP
Cisco Certified Internetwork Expert | CCIE
CompTIA A+
CompTIA Network+
CompTIA Security+ | Security+
CompTIA CySA+
CompTIA PenTest+
Certified Information Systems Security Professional | CISSP
Certified Information Security Manager | CISM
Certified Information Systems Auditor | CISA
Certified Ethical Hacker | CEH
Offensive Security Certified Professional | OSCP
GIAC Security Essentials | GSEC
Certified Cloud Security Professional | CCSP
Project Management Professional | PMP
Certified Associate in Project Management | CAPM
PRINCE2 | PRINCE2 Practitioner | PRINCE2 Foundation
Certified ScrumMaster | CSM certification | Certified Scrum Master
Professional Scrum Master | PSM | PSM I
Certified Scrum Product Owner | CSPO
Professional Scrum Product Owner | PSPO
PMI Agile Certified Practitioner | PMI-ACP
SAFe Agilist
ITIL Foundation | ITIL 4 Foundation | ITIL v3 Foundation
Lean Six Sigma Green Belt | Six Sigma Green Belt | Green Belt
Lean Six Sigma Black Belt | Six Sigma Black Belt | Black Belt
Certified Public Accountant | CPA
Chartered Accountant | ACA | ICAEW
Association of Chartered Certified Accountants | ACCA
Chartered Institute of Management Accountants | CIMA
Certified Management Accountant | CMA
Chartered Financial Analyst | CFA | CFA Charterholder
Financial Risk Manager | FRM
Certified Internal Auditor | CIA
Certified Fraud Examiner | CFE
Certified Financial Planner | CFP
Series 7
Series 63
Series 66
Enrolled Agent
SHRM Certified Professional | SHRM-CP
SHRM Senior Certified Professional | SHRM-SCP
Professional in Human Resources | PHR
Senior Professional in Human Resources | SPHR
CIPD Level 5 | CIPD | Chartered MCIPD
Certified Compensation Professional | CCP
Google Analytics Certification | GAIQ | Google Analytics Individual Qualification
Google Ads Certification
HubSpot Inbound Marketing Certification | HubSpot certification
Salesforce Certified Administrator | Salesforce Administrator
Salesforce Certified Platform Developer | Platform Developer I
Certified Supply Chain Professional | CSCP
Certified in Production and Inventory Management | CPIM
Certified Professional in Supply Management | CPSM
Certified Quality Engineer | CQE
Oracle Certified Professional Java | OCPJP | Oracle Certified Java Programmer
Tableau Desktop Specialist | Tableau Certified
Microsoft Certified: Power BI Data Analyst Associate | PL-300
Databricks Certified Data Engineer
Snowflake SnowPro Core | SnowPro
TensorFlow Developer Certificate
Certified Usability Analyst | CUA
Nielsen Norman UX Certification | NN/g UX Certification
Google UX Design Certificate
Certified Information Privacy Professional | CIPP | CIPP/E | CIPP/US
Certified Data Management Professional | CDMP
`;
