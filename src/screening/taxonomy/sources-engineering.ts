/**
 * Source lists for the skills taxonomy, engineering part. One entry per line of a template string:
 * `Canonical | alias | alias`. An alias (or the canonical name) written `=Go` matches only with
 * exactly that case, for names that are also ordinary words; one written `~Palo Alto` counts only in a
 * skills list, never in prose (a short form that is also a place or a phrase). `generate.ts` turns these into
 * `skills.json`.
 */
export const languages = `
=Go | Golang
Python | Python3 | Python 3
JavaScript | JS | ECMAScript | ES6 | ES2015 | Vanilla JS
TypeScript
Java | Java SE | Java EE | Jakarta EE | J2EE
Kotlin
=Swift | Swift 5
Objective-C | ObjC | Obj-C
C++ | CPP | C plus plus
=C | C language | ANSI C
C# | CSharp | C Sharp
Rust | Rustlang
Ruby
PHP
Scala
Elixir
Erlang
Haskell
Clojure | ClojureScript
F# | FSharp
OCaml
=R | R language | RStudio
Julia
MATLAB
Perl
Lua
Dart
Groovy
Visual Basic | VB.NET | VBA | Visual Basic for Applications
COBOL
Fortran
Assembly | x86 Assembly | ARM Assembly | ASM
Bash | Shell scripting
PowerShell
Zsh
SQL | Structured Query Language
PL/SQL | PLSQL
T-SQL | TSQL | Transact-SQL
Solidity
WebAssembly | WASM
Zig
Nim
Crystal
Elm
PureScript
ReasonML | ReScript
Racket
Scheme
Common Lisp | Lisp
Prolog
Ada
Pascal | Delphi | Object Pascal
Smalltalk
Apex
ABAP
SAS
Stata
SPSS
VHDL
Verilog | SystemVerilog
HCL
GraphQL
Protocol Buffers | protobuf | Protobuf
Sass | SCSS
Less
HTML | HTML5
CSS | CSS3
XML | XSLT | XPath
JSON
YAML
Markdown
LaTeX
Regular Expressions | regex | RegEx
Awk
Sed
CUDA
OpenCL
Hack
Mojo
Bicep
Jsonnet
Starlark
`;

export const frameworks = `
React | React.js | ReactJS
React Native
Next.js | NextJS
Vue.js | Vue | VueJS | Vue 3
Nuxt.js | Nuxt
Angular | Angular 2+ | Angular2
AngularJS | Angular.js
Svelte | SvelteKit
SolidJS | Solid.js
Ember.js | Ember
Backbone.js | Backbone
jQuery
Redux | Redux Toolkit | RTK
MobX
Zustand
RxJS | ReactiveX
Node.js | Node | NodeJS
Express.js | Express | ExpressJS
NestJS | Nest.js
Fastify
Koa
Hono
Deno
Bun
Remix
Gatsby
Astro
Vite
Webpack
Rollup
esbuild
Babel
Parcel
Tailwind CSS | Tailwind | TailwindCSS
Bootstrap
Material UI | MUI | Material-UI
Chakra UI
Ant Design | antd
Styled Components | styled-components
Emotion
Storybook
Three.js | ThreeJS
D3.js | D3
Chart.js
Electron
Tauri
Ionic
Cordova | PhoneGap
Flutter
Xamarin
.NET MAUI | MAUI
SwiftUI
UIKit
Jetpack Compose
Android SDK | Android
iOS SDK | iOS
Core Data
Combine
Django | Django REST Framework | DRF
Flask
FastAPI
Pyramid
Tornado
Celery
SQLAlchemy
Pydantic
Spring | Spring Framework
Spring Boot | SpringBoot
Spring Cloud
Hibernate | JPA
Micronaut
Quarkus
Vert.x
Play Framework
Akka
Ruby on Rails | Rails | RoR
Sinatra
Laravel
Symfony
CodeIgniter
Yii
CakePHP
WordPress | WP
Drupal
Joomla
Magento | Adobe Commerce
Shopify | Shopify Liquid | Liquid
ASP.NET | ASP.NET MVC
ASP.NET Core | .NET Core
.NET | dotnet | .NET Framework | DotNet
Entity Framework | EF Core
Blazor
WPF
WinForms | Windows Forms
Phoenix
Gin
Echo
Fiber
Actix | Actix Web
Axum
Rocket
Tokio
gRPC
Apache Thrift | Thrift
REST | RESTful APIs | REST API | RESTful | REST APIs
SOAP
OpenAPI | Swagger
WebSockets | WebSocket
Server-Sent Events | SSE
tRPC
Apollo GraphQL | Apollo
Relay
Prisma
TypeORM
Sequelize
Mongoose
Knex.js | Knex
Drizzle ORM | Drizzle
Unity | Unity3D
Unreal Engine | UE4 | UE5
Godot
Qt
GTK
OpenGL
Vulkan
DirectX
Metal
WebGL
WebRTC
Socket.IO
RabbitMQ
Apache Kafka | Kafka
Apache Pulsar | Pulsar
NATS
ZeroMQ | ZMQ
ActiveMQ
Amazon SQS | SQS
Amazon SNS | SNS
Google Pub/Sub | Pub/Sub | Cloud Pub/Sub
Redis Streams
Microservices | microservice architecture | micro-services
Event-Driven Architecture | EDA | event driven architecture
Domain-Driven Design | DDD
Service-Oriented Architecture | SOA
Serverless
Monorepo
Nx
Turborepo
Lerna
pnpm
Yarn
npm
Maven
Gradle
Ant
SBT
Bazel
CMake
Make | GNU Make | Makefile
Cargo
pip
Poetry
Conda | Anaconda
Composer
NuGet
CocoaPods
Swift Package Manager | SPM
Homebrew
LangChain
LlamaIndex
Hugging Face Transformers | Hugging Face | HuggingFace
OpenAI API
Vercel AI SDK
`;

export const dataStores = `
PostgreSQL | Postgres | psql
MySQL
MariaDB
SQLite
Microsoft SQL Server | SQL Server | MSSQL | MS SQL
Oracle Database | Oracle DB
IBM Db2 | DB2
MongoDB | Mongo
Cassandra | Apache Cassandra
ScyllaDB
Redis
Memcached
Elasticsearch
OpenSearch
Apache Solr | Solr
Neo4j
Amazon DynamoDB | DynamoDB
Couchbase
CouchDB
Firebase | Firestore
Supabase
CockroachDB
TiDB
YugabyteDB
ClickHouse
Apache Druid
Apache Pinot
TimescaleDB
InfluxDB
Prometheus
Snowflake
Google BigQuery | BigQuery
Amazon Redshift | Redshift
Azure Synapse Analytics | Azure Synapse | Synapse
Databricks
Delta Lake
Apache Iceberg
Apache Hudi | Hudi
Apache Hive
Presto
Trino
Apache Impala
HBase
Apache HDFS | HDFS
Hadoop | Apache Hadoop
Amazon Aurora
Amazon RDS | RDS
Google Cloud SQL | Cloud SQL
Cloud Spanner
Bigtable | Cloud Bigtable
Azure Cosmos DB | Cosmos DB | CosmosDB
pgvector
Pinecone
Weaviate
Milvus
Qdrant
Chroma | ChromaDB
FAISS
Vector Databases | vector database | vector DB
Realm
Amazon Neptune
ArangoDB
Dgraph
RocksDB
LevelDB
etcd
Apache ZooKeeper | ZooKeeper
Consul
DuckDB
Database Design | data modeling | database modelling | schema design
Query Optimization | query tuning | SQL tuning
Database Administration | DBA
Replication | database replication
Sharding
`;

export const cloudDevops = `
Amazon Web Services | AWS
Google Cloud Platform | GCP | Google Cloud
Microsoft Azure | Azure
IBM Cloud
Oracle Cloud Infrastructure | OCI
Alibaba Cloud
DigitalOcean
Heroku
Vercel
Netlify
Cloudflare | Cloudflare Workers
Fastly
Akamai
Linode
AWS Lambda
Amazon EC2 | EC2
Amazon S3 | S3
Amazon ECS | ECS
Amazon EKS | EKS
AWS Fargate | Fargate
AWS CloudFormation | CloudFormation
AWS CDK | CDK
AWS IAM | IAM
Amazon CloudWatch | CloudWatch
AWS Step Functions | Step Functions
Amazon API Gateway | API Gateway
Amazon CloudFront | CloudFront
Amazon Route 53 | Route 53 | Route53
Amazon VPC | VPC
Amazon Kinesis | Kinesis
AWS Glue
Amazon Athena
Amazon EMR | EMR
Amazon SageMaker | SageMaker
Amazon Bedrock | Bedrock
AWS Elastic Beanstalk | Elastic Beanstalk
Amazon ElastiCache | ElastiCache
AWS Secrets Manager | Secrets Manager
AWS KMS | KMS
Amazon Cognito | Cognito
AWS Amplify | Amplify
Amazon EventBridge | EventBridge
AWS Batch
Amazon MSK | MSK
AWS Organizations
AWS Well-Architected
Google Kubernetes Engine | GKE
Google Compute Engine | GCE | Compute Engine
Google Cloud Run | Cloud Run
Google Cloud Functions | Cloud Functions
Google App Engine | App Engine
Google Cloud Storage | GCS
Dataflow | Google Dataflow | Cloud Dataflow
Dataproc
Vertex AI
Looker
Looker Studio | Google Data Studio | Data Studio
Firebase Authentication
Azure Kubernetes Service | AKS
Azure Functions
Azure App Service
Azure DevOps | ADO | VSTS
Azure Data Factory | ADF
Azure Blob Storage
Azure Active Directory | Azure AD | Entra ID | Microsoft Entra ID
Azure Monitor
Azure Machine Learning | Azure ML
Azure OpenAI
Azure Service Bus
Azure Event Hubs
Azure Logic Apps
ARM Templates
Kubernetes | k8s | K8S | kube
Docker | containerization
Docker Compose | docker-compose
Podman
containerd
Helm | Helm charts
Kustomize
OpenShift | Red Hat OpenShift
Rancher
Nomad | HashiCorp Nomad
Istio
Linkerd
Envoy
Service Mesh
Terraform
Terragrunt
Pulumi
Ansible
Chef
Puppet
SaltStack
Packer
Vagrant
HashiCorp Vault
Crossplane
Argo CD | ArgoCD
Argo Workflows
Flux | FluxCD
Spinnaker
Jenkins
GitHub Actions | GH Actions
GitLab CI | GitLab CI/CD
CircleCI
Travis CI
TeamCity
Bamboo
Buildkite
Drone CI
Tekton
CI/CD | continuous integration | continuous delivery | continuous deployment | CICD
Git
GitHub
GitLab
Bitbucket
Subversion | SVN
Mercurial
Perforce
Linux
Ubuntu
Debian
Red Hat Enterprise Linux | RHEL | Red Hat
CentOS
Alpine Linux
Unix
Windows Server
macOS
FreeBSD
systemd
Nginx | NGINX
Apache HTTP Server | Apache httpd
HAProxy
Traefik
Caddy
Tomcat | Apache Tomcat
Load Balancing | load balancers
CDN | content delivery network
DNS
TCP/IP
HTTP/2 | HTTP2
HTTP/3 | QUIC
Networking | computer networking
BGP
VPN
Site Reliability Engineering | SRE
DevOps
Platform Engineering
Infrastructure as Code | IaC
GitOps
Observability
Monitoring
Grafana
Datadog
New Relic
Splunk
ELK Stack | ELK | Elastic Stack
Kibana
Logstash
Fluentd | Fluent Bit
Jaeger
Zipkin
OpenTelemetry | OTel
Honeycomb
Sentry
PagerDuty
Opsgenie
Nagios
Zabbix
Incident Management | incident response
On-Call
Chaos Engineering
Capacity Planning
Disaster Recovery
High Availability
Performance Tuning | performance optimization | performance engineering
Cost Optimization | FinOps | cloud cost optimization
Kubernetes Operators
eBPF
Virtualization
VMware | vSphere | ESXi
Hyper-V
KVM
Proxmox
OpenStack
`;

export const practices = `
Object-Oriented Programming | OOP | object oriented programming
Functional Programming | FP
Design Patterns
SOLID
Data Structures
Algorithms
System Design
Distributed Systems
Concurrency | multithreading | multi-threading
Asynchronous Programming | async programming
Parallel Computing | parallel programming
High-Performance Computing | HPC
Embedded Systems
Firmware
Real-Time Operating Systems | RTOS
FreeRTOS
Embedded Linux
Yocto
Microcontrollers | MCU
Arduino
Raspberry Pi
FPGA
ASIC
PCB Design
Internet of Things | IoT
Robotics
ROS | Robot Operating System
Computer Vision
Compilers | compiler design
Operating Systems
Linux Kernel | kernel development
Device Drivers
Network Programming
API Design
Backend Development | back-end development
Frontend Development | front-end development
Full-Stack Development | full stack | full-stack
Mobile Development | mobile app development
iOS Development
Android Development
Web Development
Cross-Platform Development
Game Development | gamedev
Progressive Web Apps | PWA
Single-Page Applications | SPA
Server-Side Rendering | SSR
Static Site Generation | SSG
Web Performance | Core Web Vitals
Accessibility | a11y | WCAG
Internationalization | i18n | localization | l10n
Responsive Design | responsive web design
Browser Extensions | Chrome extensions
Test-Driven Development | TDD
Behavior-Driven Development | BDD
Unit Testing | unit tests
Integration Testing
End-to-End Testing | E2E testing | e2e tests
Test Automation | automated testing | QA automation
Manual Testing
Performance Testing | load testing
Security Testing
Regression Testing
Quality Assurance | QA
Jest
Mocha
Chai
Vitest
Jasmine
Karma
Cypress
Playwright
Puppeteer
Selenium | Selenium WebDriver
WebdriverIO
TestCafe
Appium
Espresso
XCTest | XCUITest
pytest
unittest
JUnit
TestNG
Mockito
RSpec
Cucumber | Gherkin
Postman
SoapUI
JMeter | Apache JMeter
k6
Gatling
Locust
Testing Library | React Testing Library
Enzyme
SonarQube
ESLint
Prettier
Code Review | code reviews
Pair Programming
Refactoring
Technical Debt Management
Clean Code
Software Architecture
Technical Leadership | tech lead | technical lead
Engineering Management
Mentoring | mentorship | coaching engineers
Technical Writing
Open Source | open-source contribution
Agile | Agile methodologies
Scrum
Kanban
Lean
SAFe | Scaled Agile Framework
Extreme Programming
Waterfall
Jira
Confluence
Linear
Trello
Asana
Monday.com
Notion
ClickUp
Azure Boards
Version Control | source control
Release Management
Feature Flags | feature toggles | LaunchDarkly
A/B Testing Infrastructure
Blue-Green Deployment | blue/green deployments
Canary Releases | canary deployment
Twelve-Factor App | 12-factor
Caching
Rate Limiting
Message Queues | message queue
Stream Processing
Batch Processing
Search | search engines
Information Retrieval
Recommender Systems | recommendation systems | recommendation engines
Payments | payment systems
Stripe
Braintree
Adyen
PayPal
Twilio
SendGrid
Auth0
Okta
Keycloak
OAuth | OAuth 2.0 | OAuth2
OpenID Connect | OIDC
SAML
JWT | JSON Web Tokens
Single Sign-On | SSO
LDAP
Active Directory
Kerberos
`;

export const security = `
Cybersecurity | cyber security | information security | InfoSec
Application Security | AppSec
Network Security
Cloud Security
Security Engineering
Penetration Testing | pentesting | pen testing
Ethical Hacking
Vulnerability Management | vulnerability assessment
Threat Modeling | threat modelling
Threat Intelligence
Security Operations | SecOps | SOC
Incident Response | DFIR
Digital Forensics
Malware Analysis
Reverse Engineering
Identity and Access Management | IAM policies | identity management
Zero Trust
Encryption | cryptography
Public Key Infrastructure | PKI
TLS | SSL | SSL/TLS
Firewalls
Intrusion Detection | IDS | IPS
SIEM
Splunk Enterprise Security
CrowdStrike
SentinelOne
Palo Alto Networks | ~Palo Alto
Fortinet | FortiGate
Wireshark
Burp Suite
Metasploit
Nmap
Kali Linux
OWASP | OWASP Top 10
Static Application Security Testing | SAST
Dynamic Application Security Testing | DAST
Software Composition Analysis
DevSecOps
Secure Coding
Snyk
Veracode
Checkmarx
Dependabot
SOC 2 | SOC2 | SOC 2 Type II
ISO 27001 | ISO/IEC 27001
PCI DSS | PCI
HIPAA
GDPR | General Data Protection Regulation
CCPA
NIST Cybersecurity Framework | NIST CSF | NIST
FedRAMP
CIS Benchmarks
Risk Assessment
Security Auditing
Governance, Risk and Compliance | GRC
Data Loss Prevention | DLP
Endpoint Security | EDR
Email Security
Phishing Simulation | security awareness training
Bug Bounty
Red Teaming | red team
Blue Teaming | blue team
Purple Teaming
`;
