/** Source lists for the skills taxonomy: data, design and product. Format as in sources-engineering.ts. */
export const data = `
Data Analysis | data analytics
Data Science
Data Engineering
Data Visualization | data visualisation | dataviz
Business Intelligence | BI
Statistics | statistical analysis
Machine Learning
Deep Learning
Artificial Intelligence
Natural Language Processing | NLP
Large Language Models | LLM | LLMs
Generative AI | GenAI | Gen AI
Prompt Engineering
Retrieval-Augmented Generation | RAG
Fine-Tuning | LLM fine-tuning | model fine-tuning
Reinforcement Learning
Reinforcement Learning from Human Feedback | RLHF
Supervised Learning
Unsupervised Learning
Semi-Supervised Learning
Transfer Learning
Time Series Analysis | time series | time-series forecasting
Forecasting | demand forecasting
Predictive Modeling | predictive modelling | predictive analytics
Regression Analysis
Classification
Clustering
Anomaly Detection
Feature Engineering
Dimensionality Reduction | PCA
Bayesian Statistics | Bayesian inference
Hypothesis Testing
Experimental Design | design of experiments | DOE
A/B Testing | AB testing | split testing
Causal Inference
Econometrics
Survival Analysis
Multivariate Analysis
Sampling
Probability
Linear Algebra
Calculus
Optimization | mathematical optimization | operations research
Linear Programming
Simulation | Monte Carlo simulation | Monte Carlo
Graph Analytics | network analysis
Geospatial Analysis | GIS
ArcGIS
QGIS
Text Mining
Sentiment Analysis
Named Entity Recognition | NER
Speech Recognition | ASR
Image Recognition | image classification
Object Detection
Image Segmentation | semantic segmentation
Generative Adversarial Networks | GANs | GAN
Convolutional Neural Networks | CNN | CNNs
Recurrent Neural Networks | RNN | RNNs | LSTM
Transformers Architecture | transformer models
Diffusion Models | Stable Diffusion
Neural Networks | neural nets
Gradient Boosting | XGBoost | LightGBM | CatBoost
Random Forests | random forest
Decision Trees
Support Vector Machines | SVM
Logistic Regression
K-Means
Word Embeddings | word2vec
Vector Search | semantic search
MLOps | ML Ops | machine learning operations
Model Deployment | model serving
Model Monitoring
Feature Stores | feature store | Feast
Data Labeling | data annotation
TensorFlow | Tensorflow
PyTorch
Keras
scikit-learn | sklearn | scikit learn
pandas | Pandas
NumPy | numpy
SciPy
Polars
Dask
Ray
statsmodels
spaCy
NLTK
Gensim
OpenCV
JAX
ONNX
TensorRT
MLflow
Kubeflow
Weights & Biases | W&B | wandb
DVC | Data Version Control
Jupyter | Jupyter Notebook | JupyterLab
Google Colab | Colab
Matplotlib
Seaborn
Plotly
Bokeh
ggplot2
tidyverse | dplyr
Shiny | R Shiny
Apache Spark | Spark | PySpark
Spark Streaming | Structured Streaming
Apache Flink | Flink
Apache Beam
Apache Airflow | Airflow
Dagster
Prefect
Luigi
dbt | data build tool | dbt Core | dbt Cloud
Fivetran
Stitch
Airbyte
Talend
Informatica
SSIS | SQL Server Integration Services
SSRS | SQL Server Reporting Services
SSAS | SQL Server Analysis Services
Alteryx
KNIME
Apache NiFi | NiFi
Debezium
Change Data Capture | CDC
ETL | extract transform load
ELT
Data Pipelines | data pipeline
Data Warehousing | data warehouse | DWH
Data Lakes | data lake | data lakehouse | lakehouse
Data Modeling | dimensional modeling | dimensional modelling | star schema | Kimball
Data Vault
Data Governance
Data Quality
Data Lineage
Master Data Management | MDM
Metadata Management | data catalog | data catalogue
Great Expectations
Monte Carlo Data | data observability
Data Mesh
Data Contracts
Data Privacy
Data Mining
Big Data
Tableau
Power BI | PowerBI | Microsoft Power BI
Qlik | QlikView | Qlik Sense
Looker LookML | LookML
Metabase
Apache Superset | Superset
Mode Analytics
Sisense
Domo
MicroStrategy
ThoughtSpot
Hex
Excel | Microsoft Excel | MS Excel
Advanced Excel | pivot tables | VLOOKUP | XLOOKUP | Power Query | Power Pivot
Google Sheets
Google Analytics | GA4 | Universal Analytics
Adobe Analytics | Omniture
Mixpanel
Amplitude
Heap
Segment
Snowplow
Pendo
FullStory
Hotjar
Dashboards | dashboarding | dashboard development
KPI Development | KPIs | metrics definition
Reporting | reporting and analysis
Cohort Analysis
Funnel Analysis
Customer Segmentation
Churn Analysis | churn prediction | churn modeling
Lifetime Value Modeling | LTV modeling | CLV
Marketing Mix Modeling | MMM
Attribution Modeling | multi-touch attribution | marketing attribution
Web Scraping
Data Cleaning | data wrangling | data munging
Quantitative Research | quantitative analysis
Qualitative Research | qualitative analysis
Operations Research Modeling | Gurobi | CPLEX
Actuarial Science | actuarial analysis
Biostatistics
Bioinformatics
Computational Biology
Chemometrics
Research | academic research
`;

export const design = `
User Experience Design | UX | UX design | user experience
User Interface Design | UI | UI design | user interface design
UX/UI Design | UI/UX | UX/UI | UI UX
Product Design
Interaction Design | IxD
Visual Design
Graphic Design
Web Design
Mobile Design | mobile app design
Service Design
Information Architecture
Design Systems | design system
Design Thinking
Human-Centered Design | human centred design | HCD
User Research | UX research | design research
Usability Testing | usability studies
User Interviews | customer interviews
Contextual Inquiry
Card Sorting
Tree Testing
Heuristic Evaluation
Surveys | survey design
Personas
Journey Mapping | customer journey mapping | user journey mapping
Empathy Mapping
Wireframing
Prototyping | rapid prototyping
Low-Fidelity Prototyping
High-Fidelity Prototyping | hi-fi prototypes
User Flows
Sketching
Storyboarding
Typography
Color Theory | colour theory
Layout Design
Iconography | icon design
Illustration
Branding | brand identity | brand design
Logo Design
Print Design
Packaging Design
Editorial Design
Motion Design | motion graphics
Animation
3D Modeling | 3D modelling | 3D design
Video Editing
Photography
Photo Editing | retouching
Content Design
UX Writing | microcopy
Conversational Design | conversation design | voice UI
Game Design
Level Design
Industrial Design
Instructional Design
Presentation Design
Data Visualization Design | information design | infographics
Inclusive Design
Design Critique | design reviews
Design Ops | DesignOps
Design Leadership
Figma
FigJam
Sketch
Adobe XD
InVision
Axure | Axure RP
Balsamiq
Framer
Principle
ProtoPie
Zeplin
Abstract
Miro
Mural
Whimsical
Adobe Creative Suite | Adobe Creative Cloud | Adobe CC
Adobe Photoshop | Photoshop
Adobe Illustrator | Illustrator
Adobe InDesign | InDesign
Adobe After Effects | After Effects
Adobe Premiere Pro | Premiere Pro
Adobe Lightroom | Lightroom
Adobe Acrobat | Acrobat
Adobe Audition
Adobe Dimension
Adobe Firefly
Canva
Affinity Designer
Affinity Photo
CorelDRAW
Procreate
Blender
Cinema 4D | C4D
Maya | Autodesk Maya
3ds Max | 3DS Max
ZBrush
Substance Painter | Adobe Substance
Rhino | Rhinoceros 3D
SolidWorks
AutoCAD
Revit
SketchUp
Fusion 360
Final Cut Pro
DaVinci Resolve
Lottie
Webflow
Squarespace
Wix
UserTesting
Maze
Lookback
Optimal Workshop
Dovetail
Qualtrics
SurveyMonkey
Typeform
`;

export const product = `
Product Management
Product Strategy
Product Vision
Product Roadmapping | roadmapping | product roadmap
Product Discovery
Product Development
Product Lifecycle Management | PLM | product lifecycle
Product Launches | product launch | go-to-market launches
Product Marketing
Product Operations | product ops
Product Analytics
Product-Led Growth | PLG
Growth Product Management
Technical Product Management | technical PM
Platform Product Management
Requirements Gathering | requirements analysis | requirements elicitation
Product Requirements Documents | PRD | PRDs
User Stories | user story writing
Backlog Management | backlog grooming | backlog refinement
Prioritization | prioritisation | RICE | MoSCoW
Jobs to Be Done | JTBD
Opportunity Solution Trees
OKRs | Objectives and Key Results
Market Research
Competitive Analysis | competitor analysis | competitive intelligence
Customer Development
Customer Insights
Voice of the Customer | VoC
Net Promoter Score | NPS
Customer Satisfaction | CSAT
Pricing Strategy | pricing
Monetization | monetisation
Business Case Development | business cases
Go-to-Market Strategy | GTM | go to market
Product-Market Fit
Minimum Viable Product | MVP
Stakeholder Management | stakeholder engagement
Cross-Functional Leadership | cross-functional collaboration
Roadmap Communication
Release Planning
Sprint Planning
Feature Prioritization
Metrics and Analytics | product metrics
North Star Metric
Experimentation Culture
API Products | API product management
B2B SaaS | SaaS
B2C Products | consumer products
Marketplaces | two-sided marketplaces
E-commerce | ecommerce | eCommerce
FinTech | fintech
HealthTech | digital health
EdTech
Developer Tools | devtools
Productboard
Aha!
ProductPlan
Pendo Product Analytics
Program Management | programme management
Project Management
Technical Program Management | TPM
Portfolio Management | project portfolio management | PPM
PMO | project management office
Business Analysis | business analyst
Business Process Modeling | BPMN | process modeling
Use Case Modeling | use cases
UML
Gap Analysis
SWOT Analysis | SWOT
Feasibility Studies
Change Management
Risk Management
Resource Planning | resource allocation
Budget Management | budgeting
Vendor Management | vendor relations
Scope Management
Microsoft Project | MS Project
Smartsheet
Wrike
Basecamp
Airtable
`;
