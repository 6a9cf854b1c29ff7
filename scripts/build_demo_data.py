#!/usr/bin/env python3
"""Build the static demo data embedded by the Trellis demo-company generator.

Reads the ESCO v1.1.1 English CSV export and writes data/demo/:

  skills.csv           curated ESCO skills (name, category, skill_type, esco_uri,
                       description, aliases)
  skill_relations.csv  undirected skill-to-skill relations with a strength
  family_skills.csv    job family -> skill, tier (core / secondary / leadership)
  families.csv         job families with department and job titles
  first_names.txt      hand-written first names (ASCII)
  last_names.txt       hand-written last names (ASCII)
  locations.csv        demo office locations
  ATTRIBUTION.md       ESCO attribution

Skill selection: for every job family a handful of real ESCO occupations is
listed below; their essential/optional skill relations (plus the ESCO digital
and transversal skill collections) were used to hand-pick the family's skills,
which are written down by their exact ESCO preferredLabel.  The script checks
every pick against ESCO (unique label, usable skill type, tier sizes), fails
loudly if something does not match, and reports which picks are not backed by
the occupations' relations or the collections.  Categories are derived from
the ESCO skill hierarchy (broaderRelationsSkillPillar.csv + skill groups) and
mapped to tidier names by hand.  Relations come from skillSkillRelations.csv
(essential 0.6-0.8, optional 0.4-0.5), direct parent/child links inside the
selection (0.5), siblings under a specific direct broader concept (0.3) and a
hand-curated list; at most 8 per skill, with a fill-in pass so that every
skill gets at least two where possible.

Usage:  python3 scripts/build_demo_data.py [ESCO_DIR] [--out DIR]
        ESCO_DIR defaults to ../shared/data/esco relative to the repo root.
Python 3.11, standard library only.  Output is deterministic (sorted rows,
LF line endings): the same input always gives byte-identical files.

This service uses the ESCO classification of the European Commission.
https://esco.ec.europa.eu/
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ESCO = REPO_ROOT / ".." / "shared" / "data" / "esco"
DEFAULT_OUT = REPO_ROOT / "data" / "demo"

ESCO_VERSION = "v1.1.1"
ESCO_ATTRIBUTION = "This service uses the ESCO classification of the European Commission."
ESCO_LINK = "https://esco.ec.europa.eu/"

# ---------------------------------------------------------------------------
# Job families
# ---------------------------------------------------------------------------

FAMILY_ORDER = [
    "Engineering",
    "Data & Analytics",
    "Product Management",
    "Design",
    "Sales",
    "Marketing",
    "Customer Success",
    "Finance",
    "People (HR)",
    "Legal",
    "Operations",
    "IT & Security",
]

# family -> (department, ic_title, manager_title, description)
FAMILY_INFO = {
    "Engineering": (
        "Engineering", "Software Engineer", "Engineering Manager",
        "Designs, builds, tests and runs the software behind the company's products.",
    ),
    "Data & Analytics": (
        "Data", "Data Analyst", "Analytics Manager",
        "Turns company and product data into reports, models and insight that drive decisions.",
    ),
    "Product Management": (
        "Product", "Product Manager", "Group Product Manager",
        "Decides what the company builds and why, from customer research to roadmap and launch.",
    ),
    "Design": (
        "Product", "Product Designer", "Design Manager",
        "Researches user needs and designs the interfaces, flows and visuals of the product.",
    ),
    "Sales": (
        "Sales", "Account Executive", "Sales Manager",
        "Finds new customers, runs the sales process and closes deals that grow revenue.",
    ),
    "Marketing": (
        "Marketing", "Marketing Specialist", "Marketing Manager",
        "Builds the brand and generates demand through campaigns, content and digital channels.",
    ),
    "Customer Success": (
        "Customer Success", "Customer Success Manager", "Head of Customer Success",
        "Helps customers adopt the product, solves their problems and keeps them happy and renewing.",
    ),
    "Finance": (
        "Finance", "Financial Analyst", "Finance Manager",
        "Keeps the books, plans budgets and forecasts, and reports on the company's financial health.",
    ),
    "People (HR)": (
        "People", "People Partner", "People Manager",
        "Hires, develops and supports employees and looks after pay, policies and culture.",
    ),
    "Legal": (
        "Legal", "Legal Counsel", "Head of Legal",
        "Advises on contracts, compliance, data protection and intellectual property.",
    ),
    "Operations": (
        "Operations", "Operations Specialist", "Operations Manager",
        "Runs projects, procurement, facilities and the processes that keep the company working.",
    ),
    "IT & Security": (
        "IT", "Security Engineer", "IT Security Manager",
        "Runs the internal IT infrastructure and protects the company's systems and data.",
    ),
}

# The ESCO occupations (exact preferredLabel) whose skill relations were used
# as the source for each family's skills.
FAMILY_OCCUPATIONS = {
    "Engineering": [
        "software developer", "software architect", "web developer",
        "mobile application developer", "cloud engineer", "user interface developer",
        "ICT system architect", "software tester",
    ],
    "Data & Analytics": [
        "data scientist", "data analyst", "data warehouse designer", "database administrator",
        "business intelligence manager", "statistician", "ICT intelligent systems designer",
        "data quality specialist",
    ],
    "Product Management": [
        "product manager", "ICT product manager", "ICT business analyst", "ICT project manager",
        "product development manager", "business analyst", "user experience analyst",
    ],
    "Design": [
        "user interface designer", "user experience analyst", "graphic designer",
        "digital media designer", "ICT usability tester", "creative director",
    ],
    "Sales": [
        "sales manager", "ICT account manager", "ICT business development manager",
        "ICT presales engineer", "sales engineer", "commercial sales representative",
        "business developer",
    ],
    "Marketing": [
        "marketing manager", "digital marketing manager", "online marketer", "brand manager",
        "market research analyst", "search engine optimisation expert", "communication manager",
        "web content manager",
    ],
    "Customer Success": [
        "customer experience manager", "client relations manager", "ICT help desk agent",
        "ICT help desk manager", "customer service representative", "contact centre manager",
    ],
    "Finance": [
        "accountant", "financial analyst", "financial controller", "financial manager",
        "budget analyst", "accounting analyst", "tax advisor", "corporate treasurer",
    ],
    "People (HR)": [
        "human resources manager", "human resources officer", "recruitment consultant",
        "corporate training manager", "corporate trainer", "equality and inclusion manager",
        "payroll clerk",
    ],
    "Legal": [
        "lawyer", "corporate lawyer", "legal consultant", "data protection officer",
        "legal administrative assistant", "intellectual property consultant", "contract manager",
        "regulatory affairs manager",
    ],
    "Operations": [
        "operations manager", "project manager", "programme manager", "office manager",
        "procurement department manager", "facilities manager", "lean manager",
        "strategic planning manager",
    ],
    "IT & Security": [
        "ICT security manager", "ICT security engineer", "ICT security administrator",
        "ICT system administrator", "ICT network administrator", "ethical hacker",
        "ICT network engineer", "chief ICT security officer",
    ],
}

TIER_LIMITS = {"core": (8, 15), "secondary": (10, 25), "leadership": (4, 8)}

# Hand-picked skills per family and tier (exact ESCO preferredLabels).
FAMILY_SKILLS = {
    "Engineering": {
        "core": [
            "computer programming", "JavaScript", "TypeScript", "Python (computer programming)",
            "Java (computer programming)", "SQL", "debug software", "use software design patterns",
            "use software libraries", "create software design", "analyse software specifications",
            "perform software unit testing", "conduct ICT code review",
            "tools for software configuration management", "web programming",
        ],
        "secondary": [
            "C#", "C++", "Ruby (computer programming)", "PHP", "Swift (computer programming)",
            "Objective-C", "Scala", "CSS", "Angular", "JavaScript Framework",
            "use markup languages", "Android (mobile operating systems)", "iOS",
            "define software architecture", "develop with cloud services",
            "integrate system components", "use object-oriented programming",
            "use functional programming", "use concurrent programming",
            "develop automated software tests", "Agile development", "DevOps",
            "systems development life-cycle", "develop software prototype",
            "integrated development environment software",
        ],
        "leadership": [
            "oversee development of software", "coordinate engineering teams",
            "define technology strategy", "mentor individuals", "delegate responsibilities",
            "estimate duration of work",
        ],
    },
    "Data & Analytics": {
        "core": [
            "statistics", "perform data analysis", "apply statistical analysis techniques",
            "data mining", "machine learning", "SQL", "Python (computer programming)", "R",
            "data models", "use databases", "perform data cleansing",
            "deliver visual presentation of data", "business intelligence", "analyse big data",
            "create data models",
        ],
        "secondary": [
            "query languages", "NoSQL", "PostgreSQL", "MySQL", "Hadoop", "SAS language",
            "MATLAB", "deep learning", "artificial neural networks", "natural language processing",
            "principles of artificial intelligence",
            "build predictive models", "build recommender systems", "data warehouse",
            "online analytical processing", "data quality assessment",
            "implement data quality processes", "normalise data", "design database scheme",
            "manage database", "unstructured data", "carry out statistical forecasts",
            "report analysis results", "algorithms", "database management systems",
        ],
        "leadership": [
            "establish data processes", "define data quality criteria",
            "manage ICT data architecture", "develop organisational information goals",
            "mentor individuals", "lead others",
        ],
    },
    "Product Management": {
        "core": [
            "plan product management", "product life-cycle", "perform product planning",
            "define technical requirements", "analyse business requirements",
            "identify customer requirements", "interact with users to gather requirements",
            "ICT system user requirements", "develop new products", "perform market research",
            "measure customer feedback", "create project specifications",
            "perform business analysis", "manage product testing",
        ],
        "secondary": [
            "Agile project management", "ICT project management methodologies",
            "Iterative development", "Incremental development", "Prototyping development",
            "Waterfall development", "business requirements techniques",
            "business process modelling", "create business process models", "ICT market",
            "analyse consumer buying trends", "identify market niches",
            "provide cost benefit analysis reports", "legal requirements of ICT products",
            "combine business technology with user experience", "innovation processes",
            "monitor technology trends", "draw conclusions from market research results",
            "conduct qualitative research", "conduct quantitative research", "business analysis",
            "manage project changes", "manage ICT project", "web analytics",
            "propose ICT solutions to business problems",
        ],
        "leadership": [
            "make strategic business decisions", "develop business plans",
            "define technology strategy", "align efforts towards business development",
            "manage budgets", "apply strategic thinking", "lead others",
        ],
    },
    "Design": {
        "core": [
            "design user interface", "create website wireframe",
            "create prototype of user experience solutions", "design graphics", "graphic design",
            "translate requirements into visual design", "human-computer interaction",
            "application usability", "software interaction design",
            "use methodologies for user-centered design", "execute ICT user research activities",
            "assess users' interaction with ICT applications", "design prototypes",
            "software UI design patterns",
        ],
        "secondary": [
            "use experience map", "measure software usability", "ICT accessibility standards",
            "test system accessibility for users with special needs", "design process",
            "draw design sketches", "graphics editor software", "Adobe Photoshop",
            "Adobe Illustrator", "use creative suite software", "perform image editing",
            "develop creative ideas", "brainstorm ideas", "cognitive psychology",
            "behavioural science", "conduct research interview", "desktop publishing",
            "visual presentation techniques", "develop animations", "provide multimedia content",
            "implement front-end website design", "World Wide Web Consortium standards",
            "copyright legislation", "design customer experiences", "follow a brief",
        ],
        "leadership": [
            "manage creative department", "stimulate creativity in the team",
            "give constructive feedback", "finish project within budget", "build team spirit",
            "mentor individuals",
        ],
    },
    "Sales": {
        "core": [
            "prospect new customers", "deliver a sales pitch", "negotiate sales contracts",
            "identify new business opportunities", "build business relationships",
            "implement sales strategies", "sales strategies", "achieve sales targets",
            "use customer relationship management software", "product comprehension",
            "maximise sales revenues", "develop account strategy", "implement customer follow-up",
            "sales argumentation", "apply business acumen",
        ],
        "secondary": [
            "ICT sales methodologies", "produce sales reports", "carry out sales analysis",
            "forecast account metrics", "keep records on sales", "answer requests for quotation",
            "negotiate price", "manage contracts", "customer relationship management",
            "customer segmentation", "pricing strategies", "develop professional network",
            "apply technical communication skills", "give live presentation",
            "demonstrate products' features", "identify potential markets for companies",
            "apply territory planning", "characteristics of services",
            "sell software maintenance contracts", "persuade clients with alternatives",
            "forecast sales over periods of time", "sales department processes",
            "study sales levels of products", "maintain relationship with customers",
            "ICT market",
        ],
        "leadership": [
            "manage sales teams", "set sales goals", "supervise sales activities",
            "motivate staff to reach sales targets", "develop revenue generation strategies",
            "manage profitability",
        ],
    },
    "Marketing": {
        "core": [
            "plan marketing strategy", "implement marketing strategies", "plan marketing campaigns",
            "plan digital marketing", "apply social media marketing",
            "conduct search engine optimisation", "content marketing strategy",
            "brand marketing techniques", "market research", "marketing mix",
            "digital marketing techniques", "online ads campaign techniques",
            "execute email marketing", "define measurable marketing objectives",
            "perform copywriting",
        ],
        "secondary": [
            "social media marketing techniques", "social media management",
            "plan social media marketing campaigns", "search engine optimisation",
            "keywords in digital content", "use content management system software",
            "web strategy assessment", "conduct online competitive analysis",
            "analyse consumer buying trends", "customer insight", "create content title",
            "provide written content", "proofread text", "develop public relations strategies",
            "public relations", "define brand identity", "create brand guidelines",
            "set brand positioning", "conduct mobile marketing", "channel marketing",
            "evaluate marketing content", "coordinate advertising campaigns",
            "advertising techniques", "carry out event management",
            "develop communications strategies",
        ],
        "leadership": [
            "create annual marketing budget", "lead the brand strategic planning process",
            "integrate marketing strategies with the global strategy",
            "supervise brand management", "coordinate marketing plan actions",
            "stimulate creativity in the team",
        ],
    },
    "Customer Success": {
        "core": [
            "communicate with customers", "guarantee customer satisfaction",
            "maintain relationship with customers", "manage the customer experience",
            "handle customer complaints", "provide customer follow-up services",
            "identify customer's needs", "customer service", "perform customer management",
            "use ICT ticketing system", "perform escalation procedure",
            "keep up to date on product knowledge", "ensure client orientation",
            "design customer experiences",
        ],
        "secondary": [
            "provide ICT support", "support ICT system users", "replicate customer software issues",
            "handle helpdesk problems", "prioritise requests", "keep records of customer interaction",
            "maintain customer records", "analyse customer service surveys",
            "monitor customer service", "identify stress points of customer interaction",
            "analyse data about clients", "characteristics of services", "product comprehension",
            "apply conflict management", "listen actively", "create solutions to problems",
            "provide ICT system training", "maintain customer service", "monitor customer behaviour",
            "measure customer feedback", "collect customer feedback on applications",
            "secure sensitive customer's information", "customer relationship management",
            "use customer relationship management software", "identify new business opportunities",
        ],
        "leadership": [
            "manage customer service", "teach customer service techniques",
            "analyse staff capacity", "forecast workload", "supervise work", "motivate others",
        ],
    },
    "Finance": {
        "core": [
            "financial analysis", "analyse financial performance of a company",
            "interpret financial statements", "financial statements", "prepare financial statements",
            "accounting", "accounting techniques", "financial forecasting", "evaluate budgets",
            "create a financial plan", "analyse financial risk", "financial management",
            "manage the general ledger", "tax legislation",
            "international financial reporting standards",
        ],
        "secondary": [
            "accounting entries", "check accounting records", "explain accounting records",
            "prepare financial projections", "create a financial report", "liquidity management",
            "handle cash flow", "handle financial transactions", "issue sales invoices",
            "perform cost accounting activities", "cost management", "calculate tax",
            "prepare tax returns forms", "value-added tax law",
            "national generally accepted accounting principles", "conduct financial audits",
            "liaise with auditors", "internal auditing", "fraud detection", "investment analysis",
            "assess financial viability", "budgetary principles", "use spreadsheets software",
            "prepare trial accounting balances", "manage corporate bank accounts",
        ],
        "leadership": [
            "supervise accounting operations", "enforce financial policies",
            "exert expenditure control", "control financial resources", "advise on financial matters",
            "liaise with shareholders", "manage budgets",
        ],
    },
    "People (HR)": {
        "core": [
            "human resource management", "recruit employees", "carry out recruiting services",
            "interview people", "manage payroll", "employment law", "labour legislation",
            "develop employee retention programs", "negotiate employment agreements",
            "organise staff assessment", "develop corporate training programmes",
            "promote inclusion in organisations", "give constructive feedback",
            "personnel management", "human resources department processes",
        ],
        "secondary": [
            "profile people", "assess character", "document interviews", "job market offers",
            "determine salaries", "calculate employee benefits", "evaluate benefit plans",
            "check payrolls", "gather feedback from employees", "monitor organisation climate",
            "advise on organisational culture", "advise on conflict management",
            "set inclusion policies", "ensure gender equality in the workplace",
            "support employability of people with disabilities", "evaluate training",
            "manage corporate training programmes", "teach corporate skills",
            "deliver online training", "observe confidentiality", "outplacement",
            "protect employee rights", "evaluate performance of organisational collaborators",
            "negotiate with employment agencies", "conflict management",
        ],
        "leadership": [
            "coach employees", "mentor individual employees", "identify necessary human resources",
            "set organisational policies", "supervise staff", "leadership principles",
            "shape organisational teams based on competencies",
        ],
    },
    "Legal": {
        "core": [
            "provide legal advice", "legal research", "legal terminology", "contract law",
            "corporate law", "commercial law", "intellectual property law", "interpret law",
            "compile legal documents", "analyse legal enforceability",
            "ensure compliance with legal requirements", "GDPR", "data protection",
            "identify legal requirements", "legal department processes",
        ],
        "secondary": [
            "competition law", "copyright legislation", "patents", "employment law",
            "ICT security legislation", "legal requirements of ICT products",
            "monitor legislation developments", "legal case management", "manage contract disputes",
            "develop licensing agreements", "monitor compliance with licensing agreements",
            "manage intellectual property rights", "mergers and acquisitions",
            "present arguments persuasively", "analyse legislation",
            "respect data protection principles", "ensure information privacy",
            "perform contract compliance audits", "manage data for legal matters",
            "consumer protection", "observe confidentiality", "use consulting techniques",
            "manage contracts", "ensure compliance with company regulations",
            "information governance compliance",
        ],
        "leadership": [
            "develop organisational policies", "implement corporate governance",
            "manage relationships with stakeholders", "negotiate with stakeholders",
            "advise on risk management", "delegate responsibilities",
        ],
    },
    "Operations": {
        "core": [
            "project management", "perform project management", "manage several projects",
            "perform resource planning", "analyse business processes", "improve business processes",
            "manage project metrics", "track key performance indicators",
            "perform procurement processes", "maintain relationship with suppliers",
            "negotiate supplier arrangements", "manage facilities services",
            "continuous improvement philosophies", "perform risk analysis",
            "coordinate operational activities",
        ],
        "secondary": [
            "Lean project management", "project management principles", "Process-based management",
            "draft project documentation", "organise project meetings", "estimate duration of work",
            "manage project information", "manage schedule of tasks", "establish daily priorities",
            "manage supplies", "manage space utilisation", "procurement lifecycle",
            "supplier management", "develop procurement strategy", "assess procurement needs",
            "use e-procurement", "evaluate tender",
            "manage standard enterprise resource planning system",
            "quality assurance methodologies", "root cause analysis", "six sigma methods",
            "identify process improvements", "manage office facility systems",
            "write work-related reports", "manage administrative systems",
        ],
        "leadership": [
            "strategic planning", "implement strategic planning", "apply change management",
            "lead process optimisation", "implement operational business plans",
            "plan medium to long term objectives", "manage a team",
            "encourage teams for continuous improvement",
        ],
    },
    "IT & Security": {
        "core": [
            "cyber security", "information security strategy", "implement ICT safety policies",
            "identify ICT security risks", "implement ICT risk management",
            "cyber attack counter-measures", "implement a firewall", "manage IT security compliances",
            "attack vectors", "administer ICT system", "design computer network",
            "perform ICT security testing", "maintain ICT identity management",
            "manage disaster recovery plans", "operating systems",
        ],
        "secondary": [
            "implement a virtual private network", "implement anti-virus software",
            "define firewall rules", "identify ICT system weaknesses",
            "web application security threats", "ICT security standards", "ICT security legislation",
            "computer forensics", "penetration testing tool", "cloud security and compliance",
            "manage keys for data protection", "use back-up and recovery tools",
            "monitor system performance", "perform ICT troubleshooting",
            "manage ICT virtualisation environments", "cloud technologies", "deploy cloud resource",
            "automate cloud tasks", "Ansible", "Puppet (tools for software configuration management)",
            "Jenkins (tools for software configuration management)",
            "analyse network configuration and performance", "mobile device management",
            "execute ICT audits", "respond to incidents in cloud",
        ],
        "leadership": [
            "develop information security strategy", "define security policies",
            "lead disaster recovery exercises", "establish an ICT security prevention plan",
            "educate on data confidentiality", "manage staff",
        ],
    },
}

# General skills everybody may have: the office-relevant part of the ESCO
# transversal skills collection (left out: health, environment, physical and
# civic-life skills).  These need no family.
GENERAL_TRANSVERSAL = [
    "accept criticism and guidance", "adapt to change", "address an audience", "advise others",
    "apply basic programming skills", "apply digital security measures",
    "approach challenges positively", "assume responsibility", "attend to detail",
    "build networks", "build team spirit", "carry out calculations", "comply with regulations",
    "conduct web searches", "cope with stress", "cope with uncertainty", "create digital content",
    "critically evaluate information and its sources", "delegate responsibilities",
    "demonstrate curiosity", "demonstrate intercultural competence", "demonstrate trustworthiness",
    "demonstrate willingness to learn", "ensure customer orientation", "exercise self-reflection",
    "identify problems", "improvise", "instruct others", "interpret mathematical information",
    "keep an open mind", "lead others", "make decisions", "manage personal progression",
    "manage quality", "manage time", "meet commitments", "moderate a discussion",
    "motivate others", "negotiate compromises", "organise information, objects and resources",
    "promote ideas, products, services", "report facts", "resolve conflicts",
    "respect confidentiality obligations", "respect the diversity of cultural values and norms",
    "show commitment", "show confidence", "show empathy", "show entrepreneurial spirit",
    "show initiative", "solve problems", "think analytically", "think creatively",
    "think critically", "think holistically", "think quickly",
    "use communication and collaboration software", "work efficiently", "work in teams",
    "work independently",
]

# A few more widely known tools and topics from the ESCO digital skills
# collection that a tech company's people list on their profiles, but that
# did not fit in any family's tier limits.
EXTRA_SKILLS = [
    "AJAX", "ASP.NET", "Sass", "WordPress", "SQL Server",
    "unified modelling language", "Internet of Things", "computer vision",
    "design cloud networks", "plan migration to cloud",
    "use microsoft office", "use presentation software", "use word processing software",
]

# Hand-curated aliases for well-known skills (added before ESCO altLabels).
CURATED_ALIASES = {
    "JavaScript": ["JS", "ECMAScript"],
    "TypeScript": ["TS"],
    "PostgreSQL": ["Postgres"],
    "machine learning": ["ML"],
    "C#": ["C sharp", "CSharp"],
    "C++": ["CPP"],
    "Python (computer programming)": ["Python"],
    "Java (computer programming)": ["Java"],
    "Ruby (computer programming)": ["Ruby"],
    "Swift (computer programming)": ["Swift"],
    "Android (mobile operating systems)": ["Android"],
    "Puppet (tools for software configuration management)": ["Puppet"],
    "Jenkins (tools for software configuration management)": ["Jenkins"],
    "tools for software configuration management": ["version control", "Git"],
    "integrated development environment software": ["IDE"],
    "JavaScript Framework": ["React", "Vue.js"],
    "Angular": ["AngularJS"],
    "Hadoop": ["Apache Hadoop"],
    "natural language processing": ["NLP"],
    "artificial neural networks": ["neural networks"],
    "deep learning": ["DL"],
    "principles of artificial intelligence": ["AI"],
    "business intelligence": ["BI"],
    "deliver visual presentation of data": ["data visualisation", "dashboards"],
    "online analytical processing": ["OLAP"],
    "data warehouse": ["DWH"],
    "search engine optimisation": ["SEO"],
    "conduct search engine optimisation": ["optimise for search engines"],
    "use customer relationship management software": ["CRM software", "Salesforce"],
    "customer relationship management": ["CRM"],
    "use methodologies for user-centered design": ["UX", "user experience design", "UCD"],
    "design user interface": ["UI design"],
    "human-computer interaction": ["HCI"],
    "create website wireframe": ["wireframing"],
    "Agile project management": ["Scrum"],
    "Agile development": ["agile software development"],
    "Lean project management": ["Kanban"],
    "unified modelling language": ["UML"],
    "World Wide Web Consortium standards": ["W3C standards"],
    "ICT accessibility standards": ["WCAG", "a11y"],
    "GDPR": ["General Data Protection Regulation"],
    "international financial reporting standards": ["IFRS"],
    "national generally accepted accounting principles": ["GAAP"],
    "value-added tax law": ["VAT"],
    "track key performance indicators": ["KPIs"],
    "use spreadsheets software": ["Excel", "spreadsheets"],
    "use presentation software": ["PowerPoint"],
    "use microsoft office": ["MS Office"],
    "manage standard enterprise resource planning system": ["ERP"],
    "implement a virtual private network": ["VPN"],
    "maintain ICT identity management": ["IAM"],
    "penetration testing tool": ["pentesting tools"],
    "perform ICT security testing": ["penetration testing"],
    "cyber security": ["cybersecurity", "infosec"],
    # ESCO's description names VMware, kvm, Xen, Docker and Kubernetes
    "manage ICT virtualisation environments": ["virtualisation", "Docker", "Kubernetes", "K8s"],
    "cloud technologies": ["cloud computing"],
    "execute email marketing": ["email marketing"],
    "apply social media marketing": ["social media"],
    "perform copywriting": ["copywriting"],
    "use ICT ticketing system": ["ticketing", "Zendesk"],
    "human resource management": ["HR management", "HRM"],
    "recruit employees": ["hiring"],
    "develop employee retention programs": ["employee retention"],
    "promote inclusion in organisations": ["diversity and inclusion", "DEI"],
    "manage payroll": ["payroll"],
    "mergers and acquisitions": ["M&A"],
    "intellectual property law": ["IP law"],
    "DevOps": ["CI/CD"],
    "six sigma methods": ["Six Sigma"],
    "Internet of Things": ["IoT"],
}

# Hand-curated relations between obvious neighbours (strength 0.10-0.90).
CURATED_RELATIONS = [
    ("PostgreSQL", "SQL", 0.80),
    ("MySQL", "SQL", 0.80),
    ("SQL Server", "SQL", 0.80),
    ("PostgreSQL", "MySQL", 0.60),
    ("SQL", "query languages", 0.70),
    ("SQL", "use databases", 0.70),
    ("NoSQL", "use databases", 0.50),
    ("TypeScript", "JavaScript", 0.80),
    ("JavaScript Framework", "JavaScript", 0.80),
    ("Angular", "TypeScript", 0.70),
    ("Angular", "JavaScript Framework", 0.70),
    ("AJAX", "JavaScript", 0.60),
    ("CSS", "use markup languages", 0.70),
    ("CSS", "Sass", 0.80),
    ("CSS", "implement front-end website design", 0.70),
    ("JavaScript", "web programming", 0.70),
    ("PHP", "web programming", 0.60),
    ("WordPress", "PHP", 0.60),
    ("ASP.NET", "C#", 0.80),
    ("C#", "Java (computer programming)", 0.50),
    ("C++", "C#", 0.40),
    ("Scala", "Java (computer programming)", 0.60),
    ("Swift (computer programming)", "iOS", 0.80),
    ("Objective-C", "iOS", 0.70),
    ("Objective-C", "Swift (computer programming)", 0.60),
    ("Java (computer programming)", "Android (mobile operating systems)", 0.70),
    ("Python (computer programming)", "machine learning", 0.60),
    ("Python (computer programming)", "perform data analysis", 0.50),
    ("R", "statistics", 0.70),
    ("R", "apply statistical analysis techniques", 0.60),
    ("SAS language", "statistics", 0.60),
    ("Hadoop", "analyse big data", 0.70),
    ("machine learning", "deep learning", 0.80),
    ("deep learning", "artificial neural networks", 0.80),
    ("machine learning", "data mining", 0.60),
    ("machine learning", "build predictive models", 0.70),
    ("machine learning", "principles of artificial intelligence", 0.70),
    ("natural language processing", "machine learning", 0.60),
    ("computer vision", "deep learning", 0.60),
    ("business intelligence", "deliver visual presentation of data", 0.60),
    ("data warehouse", "online analytical processing", 0.70),
    ("Agile development", "Agile project management", 0.70),
    ("Agile development", "Iterative development", 0.60),
    ("DevOps", "Jenkins (tools for software configuration management)", 0.70),
    ("DevOps", "Ansible", 0.60),
    ("DevOps", "tools for software configuration management", 0.60),
    ("Ansible", "Puppet (tools for software configuration management)", 0.60),
    ("cloud technologies", "develop with cloud services", 0.60),
    ("cloud technologies", "deploy cloud resource", 0.60),
    ("perform software unit testing", "develop automated software tests", 0.70),
    ("debug software", "perform software unit testing", 0.50),
    ("design user interface", "create website wireframe", 0.70),
    ("design user interface", "use methodologies for user-centered design", 0.60),
    ("Adobe Photoshop", "Adobe Illustrator", 0.70),
    ("Adobe Photoshop", "perform image editing", 0.70),
    ("graphic design", "design graphics", 0.80),
    ("search engine optimisation", "conduct search engine optimisation", 0.90),
    ("apply social media marketing", "social media marketing techniques", 0.80),
    ("plan social media marketing campaigns", "apply social media marketing", 0.70),
    ("market research", "perform market research", 0.80),
    ("customer relationship management", "use customer relationship management software", 0.80),
    ("sales strategies", "implement sales strategies", 0.80),
    ("negotiate sales contracts", "negotiate price", 0.60),
    ("prospect new customers", "identify new business opportunities", 0.60),
    ("financial analysis", "analyse financial performance of a company", 0.80),
    ("financial statements", "prepare financial statements", 0.80),
    ("financial statements", "interpret financial statements", 0.80),
    ("accounting", "accounting techniques", 0.80),
    ("tax legislation", "calculate tax", 0.60),
    ("value-added tax law", "tax legislation", 0.70),
    ("use spreadsheets software", "financial analysis", 0.50),
    ("employment law", "labour legislation", 0.80),
    ("recruit employees", "interview people", 0.70),
    ("recruit employees", "carry out recruiting services", 0.80),
    ("manage payroll", "check payrolls", 0.70),
    ("coach employees", "mentor individual employees", 0.70),
    ("GDPR", "data protection", 0.80),
    ("GDPR", "respect data protection principles", 0.70),
    ("contract law", "manage contracts", 0.60),
    ("intellectual property law", "manage intellectual property rights", 0.80),
    ("intellectual property law", "patents", 0.70),
    ("intellectual property law", "copyright legislation", 0.70),
    ("project management", "perform project management", 0.80),
    ("Agile project management", "project management", 0.60),
    ("Lean project management", "continuous improvement philosophies", 0.60),
    ("six sigma methods", "continuous improvement philosophies", 0.60),
    ("cyber security", "information security strategy", 0.70),
    ("cyber security", "attack vectors", 0.60),
    ("implement a firewall", "define firewall rules", 0.80),
    ("perform ICT security testing", "penetration testing tool", 0.80),
    ("strategic planning", "implement strategic planning", 0.80),
    ("plan migration to cloud", "cloud technologies", 0.60),
    ("apply change management", "implement strategic planning", 0.40),
    ("listen actively", "communicate with customers", 0.40),
    ("use consulting techniques", "advise others", 0.40),
    ("forecast workload", "analyse staff capacity", 0.60),
    ("brainstorm ideas", "develop creative ideas", 0.60),
    ("improvise", "think creatively", 0.40),
    ("interpret mathematical information", "carry out calculations", 0.50),
    ("organise information, objects and resources", "manage time", 0.30),
    ("critically evaluate information and its sources", "think critically", 0.60),
    ("respect the diversity of cultural values and norms", "demonstrate intercultural competence", 0.70),
]

# ESCO altLabels that are misleading in a tech company (skill, alias).
ALIAS_BLOCKLIST = {
    ("JavaScript", "Mocha"),  # a JavaScript test framework, not the language
    ("tools for software configuration management", "NOC"),
    ("make strategic business decisions", "pay per click"),  # ESCO error
    ("make strategic business decisions", "PPC"),  # ESCO error
    ("recruit employees", "recruit, select and employ kitchen staff"),
    ("statistics", "data"),
    ("statistics", "use of data"),
    ("apply basic programming skills", "use query languages"),
    ("iOS", "Mac OS X"),
    ("penetration testing tool", "output of a penetration test"),
    ("SQL", "Subquery"),
    ("Python (computer programming)", "Python prog"),
    ("use spreadsheets software", "Household Budget Worksheet"),
    ("use spreadsheets software", "DhtmlxSpreadsheet"),
    ("use spreadsheets software", "ResolverOne"),
    ("use spreadsheets software", "Lotus 1-2-3"),
    ("Java (computer programming)", "Java Posse"),  # a podcast
    ("Objective-C", "C and Smalltalk"),
    ("Objective-C", "Smalltalk and C"),
    ("database management systems", "Pervasive.SQL 2000"),
    ("database management systems", "Cloudscape"),
    ("database management systems", "Jasmine ii"),
    ("sales department processes", "sales department procedures, sales department methods"),
    ("supervise accounting operations", "manage accounting operations accounting operations"),
    ("Ruby (computer programming)", "Ruby-gnome2"),
    ("Python (computer programming)", "Pyston"),  # another Python implementation
    ("identify stress points of customer interaction", "improve customer-related inefficiences"),
}

ALIAS_MAX_ESCO = 5
ALIAS_MAX_LEN = 60
DESC_MAX = 400
REL_CAP = 8
SIBLING_GROUP_MAX = 8   # max selected children of an ESCO skill group
SIBLING_SKILL_MAX = 15  # max selected children of a broader ESCO skill concept
REL_MIN = 2

# ---------------------------------------------------------------------------
# Categories: ESCO skill groups -> tidy names
# ---------------------------------------------------------------------------
# Resolved in this order: SKILL_CATEGORY_OVERRIDES (by skill name), then the
# nearest ESCO skill group(s) above the skill in the hierarchy looked up in
# GROUP_CATEGORY (by group preferredLabel), walking further up if a group is
# not mapped.

CATEGORIES = [
    "Programming languages",
    "Software development",
    "Web and mobile development",
    "Databases",
    "Data analysis and statistics",
    "Machine learning and AI",
    "Cloud and infrastructure",
    "Cybersecurity",
    "Software testing and quality",
    "Design and user experience",
    "Product management",
    "Project management",
    "Business analysis and strategy",
    "Sales",
    "Marketing and communications",
    "Customer service",
    "Finance and accounting",
    "Human resources",
    "Legal and compliance",
    "Operations and procurement",
    "Leadership and management",
    "Communication",
    "Collaboration",
    "Thinking and problem solving",
    "Personal effectiveness",
    "Digital literacy and office tools",
    "Training and coaching",
]

# ESCO skill group (preferredLabel) -> category, written as category -> groups.
_GROUPS_BY_CATEGORY = {
    "Software development": [
        "software and applications development and analysis", "programming computer systems",
        "designing ict systems or applications",
    ],
    "Databases": ["database and network design and administration", "managing information"],
    "Data analysis and statistics": [
        "analysing and evaluating information and data", "managing, gathering and storing digital data",
        "statistics", "calculating and estimating", "analysing scientific and medical data",
        "gathering information from physical or electronic sources",
    ],
    "Machine learning and AI": [
        "information and communication technologies not elsewhere classified",
    ],
    "Cloud and infrastructure": [
        "setting up computer systems", "working with computers", "resolving computer problems",
        "accessing and analysing digital data",
    ],
    "Cybersecurity": [
        "protecting ict devices", "protecting privacy and personal data",
        "verifying identities and documentation", "developing contingency and emergency response plans",
        "military and defence",
    ],
    "Design and user experience": [
        "creating visual displays and decorations", "creating artistic designs or performances",
        "creating artistic, visual or instructive materials", "designing systems and products",
        "designing industrial materials, systems or products",
        "audio-visual techniques and media production",
        "using digital tools for processing sound and images", "psychology",
    ],
    "Project management": [
        "directing, supervising and coordinating projects", "estimating resource needs",
        "planning events and programmes",
    ],
    "Business analysis and strategy": [
        "analysing business operations", "developing objectives and strategies",
        "developing financial, business or marketing plans", "identifying opportunities",
        "making decisions", "implementing new procedures or processes",
        "management and administration", "advising on business or operational matters",
        "developing operational policies and procedures", "work skills",
        "performing risk analysis and management",
        "conducting studies, investigations and examinations",
    ],
    "Sales": [
        "selling products or services", "wholesale and retail sales",
        "promoting, selling and purchasing",
    ],
    "Marketing and communications": [
        "marketing and advertising", "promoting products, services, or programs",
        "artistic and creative writing", "writing and composing",
        "browsing, searching and filtering digital data", "conducting academic or market research",
    ],
    "Customer service": [
        "accompanying and welcoming people", "responding to complaints",
        "providing general assistance to people", "engaging with others to identify needs",
    ],
    "Finance and accounting": [
        "accounting and taxation", "finance, banking and insurance",
        "analysing financial and economic data", "managing budgets or finances",
        "preparing financial documents, records, reports, or budgets",
        "executing financial transactions", "monitoring financial and economic resources and activity",
        "providing financial advice", "performing calculations",
    ],
    "Human resources": [
        "recruiting and hiring", "managing and administering human resources", "interviewing",
        "monitoring and evaluating the performance of individuals",
        "advocating for individual or community needs",
    ],
    "Legal and compliance": [
        "law", "advising on legal, regulatory or procedural matters",
        "ensuring compliance with legislation", "recording legal information",
        "negotiating and managing contracts and agreements", "complying with operational procedures",
        "journalism and reporting",
    ],
    "Operations and procurement": [
        "purchasing goods or services", "allocating and controlling physical resources",
        "directing operational activities", "monitoring operational activities",
        "performing general clerical and administrative tasks", "planning production processes",
        "organising, planning and scheduling work and activities", "maintaining operational records",
        "manufacturing and processing not elsewhere classified",
    ],
    "Leadership and management": [
        "supervising a team or group", "leading and motivating", "leading others",
        "building and developing teams", "management skills",
    ],
    "Communication": [
        "communicating", "communicating with colleagues and clients", "presenting general information",
        "presenting research or technical information", "listening and asking questions",
        "technical or academic writing",
        "documenting technical designs, procedures, problems or activities",
        "advising and consulting", "mediating and resolving disputes", "language acquisition",
    ],
    "Collaboration": [
        "collaborating and liaising", "collaborating in teams and networks",
        "developing professional relationships or networks", "giving feedback", "supporting others",
    ],
    "Thinking and problem solving": [
        "dealing with problems", "developing solutions", "thinking creatively and innovatively",
        "processing information, ideas and concepts", "working with numbers and measures",
    ],
    "Personal effectiveness": [
        "working efficiently", "taking a proactive approach", "maintaining a positive attitude",
        "demonstrating willingness to learn", "applying civic skills and competences",
        "applying entrepreneurial and financial skills and competences",
        "following ethical code of conduct", "following instructions and procedures",
        "planning and organising", "monitoring developments in area of expertise",
    ],
    "Digital literacy and office tools": [
        "working with digital devices and applications",
        "using word processing, publishing and presentation software",
        "using digital tools for collaboration and productivity", "computer use",
    ],
    "Training and coaching": [
        "coaching and mentoring", "teaching and training", "training on operational procedures",
        "developing educational programmes", "evaluating systems, programmes, equipment and products",
    ],
}
GROUP_CATEGORY: dict[str, str] = {
    g: cat for cat, groups in _GROUPS_BY_CATEGORY.items() for g in groups
}

# Skills whose nearest ESCO group is too coarse (e.g. all ICT knowledge sits in
# three ISCED fields) or misplaced (ESCO files "measure software usability"
# under "installing wooden and metal components").
_OVERRIDES_BY_CATEGORY = {
    "Programming languages": [
        "C#", "C++", "Java (computer programming)", "JavaScript", "MATLAB", "Objective-C", "PHP",
        "Python (computer programming)", "R", "Ruby (computer programming)", "SAS language",
        "SQL", "Scala", "Swift (computer programming)", "TypeScript",
    ],
    "Software development": [
        "algorithms", "integrated development environment software", "Internet of Things",
        "unified modelling language", "integrate system components", "use software libraries",
        "Agile development", "Iterative development", "Incremental development",
        "Prototyping development", "Waterfall development", "systems development life-cycle",
    ],
    "Web and mobile development": [
        "AJAX", "ASP.NET", "Angular", "CSS", "JavaScript Framework", "Sass", "WordPress",
        "web programming", "use markup languages", "implement front-end website design",
        "World Wide Web Consortium standards", "Android (mobile operating systems)", "iOS",
    ],
    "Databases": [
        "use databases", "normalise data", "query languages", "design database scheme",
        "manage database", "manage ICT data architecture",
    ],
    "Data analysis and statistics": [
        "data mining", "business intelligence", "unstructured data", "Hadoop",
        "data quality assessment", "define data quality criteria", "establish data processes",
        "develop organisational information goals", "report analysis results",
        "deliver visual presentation of data",
    ],
    "Machine learning and AI": [
        "build predictive models", "build recommender systems", "natural language processing",
    ],
    "Cloud and infrastructure": [
        "cloud technologies", "DevOps", "Ansible", "Puppet (tools for software configuration management)",
        "Jenkins (tools for software configuration management)", "operating systems",
        "mobile device management", "monitor system performance", "use back-up and recovery tools",
        "plan migration to cloud", "design computer network", "design cloud networks",
        "automate cloud tasks", "respond to incidents in cloud", "perform ICT troubleshooting",
    ],
    "Cybersecurity": [
        "attack vectors", "computer forensics", "web application security threats",
        "ICT security standards", "cloud security and compliance", "information security strategy",
        "penetration testing tool", "execute ICT audits", "lead disaster recovery exercises",
        "educate on data confidentiality", "define security policies", "identify ICT security risks",
        "implement ICT risk management", "manage IT security compliances",
    ],
    "Software testing and quality": [
        "perform software unit testing", "develop automated software tests", "conduct ICT code review",
        "debug software", "quality assurance methodologies",
    ],
    "Design and user experience": [
        "application usability", "software UI design patterns", "software interaction design",
        "human-computer interaction", "ICT accessibility standards", "Adobe Photoshop",
        "Adobe Illustrator", "graphics editor software", "desktop publishing",
        "measure software usability", "test system accessibility for users with special needs",
        "create website wireframe", "create prototype of user experience solutions",
        "use experience map", "execute ICT user research activities",
        "assess users' interaction with ICT applications", "design user interface",
        "conduct research interview", "follow a brief", "manage creative department",
    ],
    "Product management": [
        "plan product management", "product life-cycle", "perform product planning",
        "develop new products", "ICT system user requirements",
        "interact with users to gather requirements", "define technical requirements",
        "manage product testing", "innovation processes", "ICT market", "identify customer requirements",
        "combine business technology with user experience", "measure customer feedback",
        "design customer experiences", "conduct qualitative research", "conduct quantitative research",
        "monitor technology trends",
    ],
    "Project management": [
        "Agile project management", "ICT project management methodologies", "Lean project management",
        "Process-based management", "project management", "project management principles",
        "manage project information", "draft project documentation", "create project specifications",
        "finish project within budget", "manage project metrics",
    ],
    "Business analysis and strategy": [
        "use consulting techniques", "propose ICT solutions to business problems",
        "track key performance indicators", "strategic planning",
        "align efforts towards business development",
    ],
    "Sales": [
        "implement sales strategies", "prospect new customers", "build business relationships",
        "set sales goals", "develop revenue generation strategies", "apply territory planning",
        "develop account strategy", "negotiate sales contracts", "negotiate price",
        "customer relationship management", "use customer relationship management software",
        "forecast sales over periods of time", "forecast account metrics", "keep records on sales",
        "carry out sales analysis", "produce sales reports", "study sales levels of products",
        "persuade clients with alternatives", "demonstrate products' features",
        "ICT sales methodologies", "identify new business opportunities", "pricing strategies",
        "implement customer follow-up", "supervise sales activities", "manage sales teams",
        "motivate staff to reach sales targets", "sales strategies",
    ],
    "Marketing and communications": [
        "plan digital marketing", "plan marketing campaigns", "plan marketing strategy",
        "plan social media marketing campaigns", "define brand identity", "create brand guidelines",
        "define measurable marketing objectives", "develop public relations strategies",
        "integrate marketing strategies with the global strategy",
        "lead the brand strategic planning process", "conduct online competitive analysis",
        "create annual marketing budget", "supervise brand management", "coordinate marketing plan actions",
        "coordinate advertising campaigns", "carry out event management", "develop communications strategies",
        "use content management system software", "evaluate marketing content", "web analytics",
        "keywords in digital content", "perform market research",
        "draw conclusions from market research results", "analyse consumer buying trends",
        "proofread text", "create content title", "provide multimedia content", "execute email marketing",
        "social media management",
        "identify potential markets for companies", "identify market niches",
    ],
    "Customer service": [
        "manage customer service", "maintain relationship with customers", "communicate with customers",
        "perform customer management", "perform escalation procedure", "use ICT ticketing system",
        "provide ICT support", "support ICT system users", "replicate customer software issues",
        "handle helpdesk problems", "prioritise requests", "keep records of customer interaction",
        "maintain customer records", "analyse customer service surveys", "monitor customer service",
        "identify stress points of customer interaction", "analyse data about clients",
        "monitor customer behaviour", "collect customer feedback on applications",
        "secure sensitive customer's information", "teach customer service techniques",
        "keep up to date on product knowledge", "customer service", "maintain customer service",
        "ensure client orientation", "ensure customer orientation",
    ],
    "Finance and accounting": [
        "supervise accounting operations", "create a financial plan", "manage budgets",
        "evaluate budgets", "manage profitability", "liaise with auditors", "liaise with shareholders",
        "manage the general ledger", "fraud detection", "analyse financial risk", "cost management",
        "financial management", "liquidity management", "explain accounting records",
    ],
    "Human resources": [
        "human resource management", "personnel management", "human resources department processes",
        "conflict management", "job market offers", "evaluate benefit plans", "check payrolls",
        "negotiate employment agreements", "negotiate with employment agencies",
        "promote inclusion in organisations", "set inclusion policies",
        "ensure gender equality in the workplace",
        "support employability of people with disabilities", "advise on organisational culture",
        "advise on conflict management", "monitor organisation climate",
        "gather feedback from employees", "identify necessary human resources",
        "shape organisational teams based on competencies", "analyse staff capacity",
        "document interviews", "outplacement", "calculate employee benefits",
    ],
    "Training and coaching": ["evaluate training", "mentor individual employees"],
    "Legal and compliance": [
        "GDPR", "data protection", "present arguments persuasively", "respect data protection principles",
        "ensure information privacy", "information governance compliance", "observe confidentiality",
        "perform contract compliance audits", "consumer protection", "mergers and acquisitions",
        "implement corporate governance", "identify legal requirements", "analyse legislation",
        "manage intellectual property rights", "monitor legislation developments",
        "manage contract disputes", "manage data for legal matters",
    ],
    "Operations and procurement": [
        "six sigma methods", "root cause analysis", "continuous improvement philosophies",
        "identify process improvements", "lead process optimisation", "manage office facility systems",
        "manage administrative systems", "maintain relationship with suppliers",
        "negotiate supplier arrangements", "supplier management", "procurement lifecycle",
        "develop procurement strategy", "evaluate tender", "manage standard enterprise resource planning system",
        "use e-procurement", "manage facilities services", "improve business processes",
        "analyse business processes", "implement operational business plans", "forecast workload",
    ],
    "Leadership and management": [
        "apply change management", "oversee development of software", "coordinate engineering teams",
        "supervise work", "give constructive feedback", "develop organisational policies",
        "set organisational policies", "leadership principles", "manage relationships with stakeholders",
        "negotiate with stakeholders",
    ],
    "Communication": ["apply technical communication skills", "give live presentation"],
    "Thinking and problem solving": ["brainstorm ideas"],
    "Digital literacy and office tools": [
        "use spreadsheets software", "use microsoft office", "use presentation software",
        "use word processing software", "use creative suite software",
    ],
}
SKILL_CATEGORY_OVERRIDES: dict[str, str] = {
    n: cat for cat, names in _OVERRIDES_BY_CATEGORY.items() for n in names
}

# ---------------------------------------------------------------------------
# Names and locations (hand-written, not from ESCO)
# ---------------------------------------------------------------------------

FIRST_NAMES = """
Aaliyah Abebe Abena Achieng Adaeze Aditya Agnieszka Ahmed Aiko Aino Aisha Aleksandra Alejandro
Alessandro Amara Amelia Amelie Amira Ana Ananya Andre Andrei Angelica Anh Anna Anouk Antoine
Aoife Aravind Arjun Aroha Ashley Astrid Avi Ayse Beatriz Bence Bogdan Bram Budi Burak Camila
Camille Carlos Carmen Catarina Charlotte Chiara Chinedu Chloe Ciaran Clara Daan Daniela Darnell
Deepika Dewi Diego Dimitris Divya Dmitri Duc Dylan Eitan Elena Eleni Elias Elif Elin Emilio Emily
Emma Emre Erik Fatima Felix Fernanda Finn Fleur Francesca Freya Gabriel George Gergely Giovanni
Giulia Grace Hana Hannah Haruka Harry Hassan Helmi Hiroshi Hugo Imani Ines Ingrid Ioana Iryna Isabella
Isla Istvan Ivan Jack Jaewon Jakub James Jan Jasmine Javier Jelena Jessica Jiho Jing Joao Jonas
Jordan Jose Juha Julia Juliette Jun Kacper Kamau Karim Karthik Katarina Katarzyna Katerina Katharina
Kavya Kayla Keisha Kenji Kofi Kwabena Kwame Lachlan Larissa Lars Laura Lea Leila Leon Leonor Lerato
Liam Lin Linh Lorenzo Lotte Luana Luca Lucia Lucie Lukas Magdalena Malik Manon Marco Marcus Marek
Margaux Maria Mariana Marie Marta Martina Mateo Matilda Matteo Maximilian Meera Mehmet Mei Mereana
Mia Michael Michal Miguel Mikael Mikko Milos Minh Minjun Morgan Natalia Ngozi Niamh Nicolas Nikau
Nikhil Nikos Nils Noa Noah Nomvula Nour Olga Oleksandr Oliver Olivia Oluwaseun Omar Ondrej Oskar
Otieno Pablo Padraig Paolo Paul Pedro Petra Pierre Piotr Pooja Priya Putri Rafael Raquel Rahul
Rajesh Rania Rizal Rohan Rui Ruby Ryo Saga Sakura Samir Sanjay Sanne Santiago Sean Selam Sem Seoyeon
Sergio Shreya Sigrid Siobhan Sipho Siti Sneha Sofia Sophie Stefan Takeshi Tamar Tane Tariku Tariq
Taylor Tendai Tereza Thabo Thao Theo Thiago Thomas Tiago Tobias Tomasz Tyler Valentina Vesna
Vikram Wanjiru Wei William Xin Ximena Yael Yasmin Youssef Yuki Yulia Zain Zanele Zeynep Zofia Zsofia
""".split()

LAST_NAMES = """
Abubakar Adams Adeyemi Agarwal Ahmed Ali Allen Almeida Alvarez Andersson Asante Ba Bailey Baker
Bakker Balogun Banerjee Barbieri Barbosa Bautista Becker Bennett Berg Bhat Bianchi Blanc Boateng
Bondarenko Bonnet Bos Braun Brennan Brooks Brown Bruno Byrne Campbell Carter Carvalho Castillo
Celik Chan Chatterjee Chen Chevalier Cho Choi Chopra Clark Cohen Collins Colombo Conti Cook Cooper
Costa Cox Cruz Dabrowski Davies Davis Dekker Demir Desai Diallo Diaz Dlamini Dominguez Doyle Dubois
Dupont Dvorak Edwards Eriksson Esposito Evans Eze Farah Faure Ferrari Ferreira Fischer Fitzgerald
Flores Fontaine Fontana Foster Fraser Friedman Gallagher Gallo Garcia Georgiou Giordano Girard Gomez
Gonzalez Gray Greco Green Guerin Guo Gupta Haddad Haile Hansen Harris Hartmann Hassan Hernandez Hill
Hoang Hoffmann Horvath Howard Hu Huang Hughes Hussain Ionescu Ito Ivanov Iyer Jackson Jankowski
Jansen Janssen Jenkins Jensen Johansson Johnson Jones Joshi Jovanovic Jung Kaminski Kang Kapoor
Kariuki Karlsson Kato Katz Kaya Kelly Kennedy Khalil Khan Kim King Klein Kobayashi Koch Korhonen
Kovacs Kovalenko Kowalczyk Kowalski Kozlowski Krause Krawczyk Krishnan Krueger Kulkarni Kumar
Lambert Lange Larsson Laurent Le Lee Lefebvre Lehmann Leroy Leung Levi Lewandowski Lewis Lim Lima
Lin Lindqvist Liu Lombardi Long Lopez Ma MacDonald Makinen Malhotra Mancini Mansour Marino Martin
Martinez Mazur McCarthy Mehta Mekonnen Mendes Mendoza Menon Mensah Mercier Meyer Michel Miller
Mitchell Mokoena Moore Morales Moreau Moretti Morgan Morris Mueller Mukherjee Mulder Murphy Mwangi
Myers Nagy Nair Nakamura Nasser Navarro Ndlovu Nelson Neumann Ng Ngata Nguyen Nielsen Nieminen
Nikolaidis Nilsson Nkosi Novak Nowak Nwosu Okafor Okonkwo Oliveira Olsen Ortiz Osei Otieno
Papadopoulos Parata Park Parker Patel Pedersen Pereira Perez Petrov Petrovic Peterson Pham Phillips
Pillai Popescu Price Quinn Rahman Ramirez Rao Reddy Reed Reyes Ribeiro Ricci Richardson Richter
Rivera Rizzo Roberts Robinson Rocha Rodriguez Rogers Romano Romero Ross Rossi Rousseau Roux Ruiz
Russo Ryan Sahin Sanchez Sanders Santos Santoso Sato Schmidt Schneider Schulz Schwarz Scott Shah
Sharma Shevchenko Silva Singh Smit Smith Sokolov Souza Srinivasan Stewart Sun Suzuki Szabo
Szymanski Takahashi Tan Tanaka Taylor Teixeira Tesfaye Thomas Thompson Torres Traore Tran Turner
Vargas Venkatesh Vermeulen Villanueva Virtanen Visser Vos Vu Wagner Walker Walsh Wang Ward
Watanabe Watson Weber Werner White Wijaya Williams Wilson Wisniewski Wojcik Wolf Wong Wood Wozniak
Wright Wu Xu Yamamoto Yang Yilmaz Yoon Young Zhang Zhao Zhou Zhu Zielinski Zimmermann
""".split()

LOCATIONS = [
    ("Amsterdam", "NL", "Europe/Amsterdam"),
    ("Austin", "US", "America/Chicago"),
    ("Bangalore", "IN", "Asia/Kolkata"),
    ("Berlin", "DE", "Europe/Berlin"),
    ("Dublin", "IE", "Europe/Dublin"),
    ("Lisbon", "PT", "Europe/Lisbon"),
    ("London", "GB", "Europe/London"),
    ("New York", "US", "America/New_York"),
    ("Paris", "FR", "Europe/Paris"),
    ("Singapore", "SG", "Asia/Singapore"),
    ("Toronto", "CA", "America/Toronto"),
    ("Warsaw", "PL", "Europe/Warsaw"),
]


# ---------------------------------------------------------------------------
# ESCO loading
# ---------------------------------------------------------------------------

def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def clean(text: str) -> str:
    """Collapse whitespace (ESCO labels contain trailing spaces and NBSPs)."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


class Esco:
    def __init__(self, root: Path):
        self.root = root
        self.skills: dict[str, dict[str, str]] = {}
        for row in read_csv(root / "skills_en.csv"):
            row["preferredLabel"] = clean(row["preferredLabel"])
            self.skills[row["conceptUri"]] = row
        self.by_label: dict[str, str] = {}
        dup = Counter(s["preferredLabel"] for s in self.skills.values())
        for uri, s in self.skills.items():
            if dup[s["preferredLabel"]] == 1:
                self.by_label[s["preferredLabel"]] = uri
        self.groups = {g["conceptUri"]: g for g in read_csv(root / "skillGroups_en.csv")}
        for g in self.groups.values():
            g["preferredLabel"] = clean(g["preferredLabel"])
        self.broader: dict[str, list[str]] = defaultdict(list)
        for b in read_csv(root / "broaderRelationsSkillPillar.csv"):
            self.broader[b["conceptUri"]].append(b["broaderUri"])
        for v in self.broader.values():
            v.sort()
        self.skill_rel = read_csv(root / "skillSkillRelations.csv")
        self.digital = {r["conceptUri"] for r in read_csv(root / "digitalSkillsCollection_en.csv")}
        self.transversal = {
            r["conceptUri"] for r in read_csv(root / "transversalSkillsCollection_en.csv")
        }
        occs = read_csv(root / "occupations_en.csv")
        self.occ_by_label = {clean(o["preferredLabel"]): o["conceptUri"] for o in occs}
        self.occ_skills: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for r in read_csv(root / "occupationSkillRelations.csv"):
            self.occ_skills[r["occupationUri"]].append((r["relationType"], r["skillUri"]))
        # top of the hierarchy: group codes (S1.2, T4 ...) for sanity output
        self.group_code: dict[str, str] = {}
        for h in read_csv(root / "skillsHierarchy_en.csv"):
            for i in range(4):
                u, c = h[f"Level {i} URI"], h[f"Level {i} code"]
                if u and c:
                    self.group_code[u] = c

    def uri(self, label: str) -> str:
        try:
            return self.by_label[label]
        except KeyError:
            sys.exit(f"ERROR: no (unique) ESCO skill with preferredLabel {label!r}")

    def label(self, uri: str) -> str:
        if uri in self.skills:
            return self.skills[uri]["preferredLabel"]
        if uri in self.groups:
            return self.groups[uri]["preferredLabel"]
        return uri

    def group_levels(self, uri: str) -> list[list[str]]:
        """Skill groups above a skill, nearest first, as BFS levels."""
        levels: list[list[str]] = []
        frontier, seen = [uri], {uri}
        while frontier:
            nxt: list[str] = []
            found: list[str] = []
            for x in frontier:
                for b in self.broader.get(x, []):
                    if b in seen:
                        continue
                    seen.add(b)
                    nxt.append(b)
                    if b in self.groups:
                        found.append(b)
            if found:
                levels.append(sorted(found))
            frontier = sorted(nxt)
        return levels


# ---------------------------------------------------------------------------
# Building
# ---------------------------------------------------------------------------

def fold(text: str) -> str:
    return text.casefold()


def trim_description(text: str) -> str:
    """First paragraph, whitespace collapsed, at most DESC_MAX characters,
    cut at a sentence end when possible."""
    paragraphs = [p for p in re.split(r"\n", text) if p.strip()]
    para = clean(paragraphs[0]) if paragraphs else ""
    if len(para) <= DESC_MAX:
        return para
    window = para[:DESC_MAX]
    # a sentence ends at . ! or ? followed by a capital letter ("e.g. malware" is no end)
    ends = [m.end() for m in re.finditer(r"(?<!e\.g)(?<!i\.e)[.!?](?=\s+[A-Z])", window)]
    if ends and ends[-1] >= 120:
        return window[: ends[-1]].strip()
    cut = window[: DESC_MAX - 3].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "..."


class Skill:
    def __init__(self, name: str, uri: str, row: dict[str, str]):
        self.name = name
        self.uri = uri
        self.row = row
        self.skill_type = row["skillType"]
        self.category = ""
        self.description = trim_description(row["description"] or row.get("definition", ""))
        self.aliases: list[str] = []
        self.families: set[str] = set()
        self.source = ""  # family / transversal / extra


def choose_category(esco: Esco, skill: Skill, unmapped: Counter) -> str:
    if skill.name in SKILL_CATEGORY_OVERRIDES:
        return SKILL_CATEGORY_OVERRIDES[skill.name]
    for level in esco.group_levels(skill.uri):
        mapped = sorted({GROUP_CATEGORY[esco.label(g)] for g in level if esco.label(g) in GROUP_CATEGORY})
        if mapped:
            # several nearest groups: take the first group (by label) that is mapped
            for g in sorted(level, key=esco.label):
                if esco.label(g) in GROUP_CATEGORY:
                    return GROUP_CATEGORY[esco.label(g)]
        for g in level:
            unmapped[esco.label(g)] += 1
    return ""


def select_skills(esco: Esco) -> tuple[dict[str, Skill], list[tuple[str, str, str]], dict]:
    """Validate the curated lists against ESCO and return skills and family rows."""
    stats: dict = {"provenance": Counter(), "not_from_occupations": defaultdict(list)}
    skills: dict[str, Skill] = {}
    family_rows: list[tuple[str, str, str]] = []

    def add(name: str, source: str) -> Skill:
        uri = esco.uri(name)
        if name not in skills:
            row = esco.skills[uri]
            if row["skillType"] not in ("skill/competence", "knowledge"):
                sys.exit(f"ERROR: {name!r} has no usable skillType in ESCO ({row['skillType']!r})")
            skills[name] = Skill(name, uri, row)
            skills[name].source = source
        return skills[name]

    if sorted(FAMILY_SKILLS) != sorted(FAMILY_ORDER) or sorted(FAMILY_INFO) != sorted(FAMILY_ORDER):
        sys.exit("ERROR: family lists disagree")
    for family in FAMILY_ORDER:
        occ_uris = []
        for occ in FAMILY_OCCUPATIONS[family]:
            if occ not in esco.occ_by_label:
                sys.exit(f"ERROR: no ESCO occupation {occ!r}")
            occ_uris.append(esco.occ_by_label[occ])
        related = {su for o in occ_uris for _, su in esco.occ_skills[o]}
        seen: set[str] = set()
        for tier, (lo, hi) in TIER_LIMITS.items():
            names = FAMILY_SKILLS[family][tier]
            if not lo <= len(names) <= hi:
                sys.exit(f"ERROR: {family}/{tier} has {len(names)} skills, want {lo}-{hi}")
            for name in names:
                if name in seen:
                    sys.exit(f"ERROR: {name!r} listed twice in {family}")
                seen.add(name)
                sk = add(name, "family")
                sk.families.add(family)
                family_rows.append((family, name, tier))
                if sk.uri in related:
                    stats["provenance"]["occupation relations"] += 1
                elif sk.uri in esco.digital or sk.uri in esco.transversal:
                    stats["provenance"]["digital/transversal collection"] += 1
                else:
                    stats["provenance"]["hand-picked"] += 1
                    stats["not_from_occupations"][family].append(name)
    for name in GENERAL_TRANSVERSAL:
        uri = esco.uri(name)
        if uri not in esco.transversal:
            sys.exit(f"ERROR: {name!r} is not in the ESCO transversal skills collection")
        add(name, "transversal")
    for name in EXTRA_SKILLS:
        if name in skills:
            sys.exit(f"ERROR: extra skill {name!r} is already selected")
        add(name, "extra")

    folded = Counter(fold(n) for n in skills)
    dups = [n for n in skills if folded[fold(n)] > 1]
    if dups:
        sys.exit(f"ERROR: skill names not unique ignoring case: {dups}")
    return skills, family_rows, stats


STOPWORDS = {"a", "an", "the", "of", "for", "to", "in", "on", "and", "with"}


def alias_key(text: str) -> str:
    """Spelling-insensitive key: "Live-Script" and "Live script" collide."""
    return re.sub(r"[^0-9a-z]+", "", fold(text))


def stems(text: str) -> tuple[str, ...]:
    """Crude stem multiset: catches plural, -ing and word-order variants such
    as "advising on financial matter" or "management of liquidity"."""
    out = []
    for w in re.findall(r"[a-z0-9]+", fold(text)):
        if w in STOPWORDS:
            continue
        w = re.sub(r"(ing|ed|es|s|e)$", "", w) if len(w) > 4 else w
        out.append(w)
    return tuple(sorted(out))


def is_version_variant(alias: str, name: str) -> bool:
    """"Php5", "SQL Server 2008", "JavaScript 1.7", "Java script" for PHP etc."""
    core = re.sub(r"\s*\(.*\)$", "", name)
    letters = lambda t: re.sub(r"[^a-z]+", "", fold(t))  # noqa: E731
    return letters(alias) == letters(core)


def build_aliases(esco: Esco, skills: dict[str, Skill]) -> dict:
    names_folded = {fold(n) for n in skills}
    for name in CURATED_ALIASES:
        if name not in skills:
            sys.exit(f"ERROR: curated alias for unselected skill {name!r}")
    curated_owner: dict[str, str] = {}
    for name, aliases in CURATED_ALIASES.items():
        for a in aliases:
            key = fold(a)
            if key in names_folded or key in curated_owner or "|" in a:
                sys.exit(f"ERROR: curated alias {a!r} clashes")
            curated_owner[key] = name

    candidates: dict[str, list[str]] = {}
    owners: dict[str, set[str]] = defaultdict(set)
    dropped = Counter()
    for name, sk in skills.items():
        seen: set[str] = set()
        out: list[str] = []
        for raw in sk.row["altLabels"].split("\n"):
            a = clean(raw)
            key = fold(a)
            if not a or alias_key(a) in seen:
                if a:
                    dropped["spelling duplicate"] += 1
                continue
            seen.add(alias_key(a))
            if len(a) > ALIAS_MAX_LEN:
                dropped["longer than 60 chars"] += 1
            elif key == fold(name):
                dropped["same as the name"] += 1
            elif is_version_variant(a, name):
                dropped["version number variant"] += 1
            elif stems(a) == stems(name):
                dropped["inflection or word-order variant"] += 1
            elif fold(name) in key:
                dropped["name plus extra words"] += 1
            elif (name, a) in ALIAS_BLOCKLIST:
                dropped["hand blocklist"] += 1
            elif "|" in a:
                dropped["contains |"] += 1
            elif key in names_folded:
                dropped["another skill's name"] += 1
            elif key in curated_owner:
                dropped["clashes with a curated alias"] += 1
            else:
                out.append(a)
                owners[key].add(name)
        candidates[name] = out

    for name, sk in skills.items():
        esco_aliases = []
        for a in candidates[name]:
            if len(owners[fold(a)]) > 1:
                dropped["shared by several skills"] += 1
                continue
            esco_aliases.append(a)
        # ESCO lists altLabels in no meaningful order: for lower-case skill
        # names prefer plain phrases over product names ("Household Budget
        # Worksheet"), then those closest in length to the name (avoids
        # one-word generic labels and long phrases).
        def rank(a: str) -> tuple:
            product = name[:1].islower() and sum(w[:1].isupper() for w in a.split()) >= 2
            return (product, abs(len(a) - len(name)), len(a), fold(a), a)

        esco_aliases.sort(key=rank)
        curated = list(CURATED_ALIASES.get(name, []))
        taken = {fold(a) for a in curated}
        esco_aliases = [a for a in esco_aliases if fold(a) not in taken]
        if len(esco_aliases) > ALIAS_MAX_ESCO:
            dropped["over the limit of 5"] += len(esco_aliases) - ALIAS_MAX_ESCO
        sk.aliases = curated + esco_aliases[:ALIAS_MAX_ESCO]

    # final global check
    seen_all: dict[str, str] = {}
    for name in sorted(skills):
        for a in skills[name].aliases:
            key = fold(a)
            if key in names_folded or key in seen_all:
                sys.exit(f"ERROR: alias {a!r} of {name!r} is not unique")
            seen_all[key] = name
    return {"dropped": dropped, "curated": sum(len(v) for v in CURATED_ALIASES.values())}


def build_relations(esco: Esco, skills: dict[str, Skill]) -> tuple[list[tuple[str, str, float]], dict]:
    by_uri = {sk.uri: name for name, sk in skills.items()}
    # candidate pairs: key -> (strength, source rank, source, tie-break)
    cand: dict[tuple[str, str], tuple[float, int, str, int]] = {}
    SOURCE_RANK = {"curated": 0, "esco essential": 1, "esco optional": 2, "hierarchy parent": 3,
                   "shared broader": 4}

    def key(a: str, b: str) -> tuple[str, str]:
        return (a, b) if (fold(a), a) <= (fold(b), b) else (b, a)

    def offer(a: str, b: str, strength: float, source: str, tie: int = 0) -> None:
        if a == b:
            return
        k = key(a, b)
        new = (round(strength, 2), SOURCE_RANK[source], source, tie)
        old = cand.get(k)
        if old is None or (new[0], -new[1], -new[3]) > (old[0], -old[1], -old[3]):
            cand[k] = new

    parents = {name: set(esco.broader.get(sk.uri, [])) for name, sk in skills.items()}

    def near(a: str, b: str) -> bool:
        return bool(parents[a] & parents[b]) or bool(skills[a].families & skills[b].families)

    directed = set()
    for r in esco.skill_rel:
        a, b = by_uri.get(r["originalSkillUri"]), by_uri.get(r["relatedSkillUri"])
        if a and b and a != b:
            directed.add((a, b, r["relationType"]))
    pairs_with_any = {(a, b) for a, b, _ in directed}
    for a, b, rtype in sorted(directed):
        reciprocal = (b, a) in pairs_with_any
        bonus = 0.1 * (reciprocal + near(a, b))
        if rtype == "essential":
            offer(a, b, min(0.8, 0.6 + bonus), "esco essential")
        else:
            offer(a, b, min(0.5, 0.4 + bonus), "esco optional")

    # direct parent/child inside the selection, and siblings under a direct broader concept
    children: dict[str, list[str]] = defaultdict(list)
    for name in sorted(skills):
        for p in parents[name]:
            if p in by_uri:
                offer(name, by_uri[p], 0.5, "hierarchy parent")
            children[p].append(name)
    # Siblings only under specific concepts: coarse ESCO groups such as "law" or
    # "software and applications development and analysis" hold dozens of
    # selected skills and say little about how two of them relate.
    for p, kids in sorted(children.items()):
        limit = SIBLING_GROUP_MAX if p in esco.groups else SIBLING_SKILL_MAX
        if not 2 <= len(kids) <= limit:
            continue
        for i, a in enumerate(kids):
            for b in kids[i + 1:]:
                offer(a, b, 0.3, "shared broader", len(kids))

    for a, b, strength in CURATED_RELATIONS:
        for n in (a, b):
            if n not in skills:
                sys.exit(f"ERROR: curated relation names unselected skill {n!r}")
        if not 0.10 <= strength <= 0.90:
            sys.exit(f"ERROR: curated strength out of range: {a} ~ {b}")
        offer(a, b, strength, "curated")

    def priority(item):
        (a, b), (strength, rank, _, tie) = item
        shared = len(skills[a].families & skills[b].families)
        return (-strength, rank, -shared, tie, fold(a), a, fold(b), b)

    degree: Counter = Counter()
    kept: list[tuple[str, str, float]] = []
    by_source = Counter()
    for (a, b), (strength, _, source, _) in sorted(cand.items(), key=priority):
        if degree[a] >= REL_CAP or degree[b] >= REL_CAP:
            continue
        degree[a] += 1
        degree[b] += 1
        kept.append((a, b, strength))
        by_source[source] += 1
    # Second pass for skills left with fewer than REL_MIN relations, in order
    # of preference: siblings under a broader ESCO skill concept of any size
    # (0.30), skills of the same family and category (0.20), siblings under an
    # ESCO skill group of any size (0.30); partners with few relations first.
    kept_keys = {key(a, b) for a, b, _ in kept}
    fill: dict[tuple[str, str], tuple[int, float, str]] = {}
    for p, kids in sorted(children.items()):
        pref, label = (2, "shared group (fill)") if p in esco.groups else (0, "shared broader (fill)")
        for i, a in enumerate(kids):
            for b in kids[i + 1:]:
                k = key(a, b)
                if k not in fill or fill[k][0] > pref:
                    fill[k] = (pref, 0.3, label)
    names = sorted(skills, key=lambda n: (fold(n), n))
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            if skills[a].families & skills[b].families and skills[a].category == skills[b].category:
                k = key(a, b)
                if k not in fill or fill[k][0] > 1:
                    fill[k] = (1, 0.2, "same family and category (fill)")
    partners: dict[str, list[tuple[int, str, float, str]]] = defaultdict(list)
    for (a, b), (pref, strength, source) in fill.items():
        if (a, b) in kept_keys:
            continue
        partners[a].append((pref, b, strength, source))
        partners[b].append((pref, a, strength, source))
    for name in names:
        if degree[name] >= REL_MIN:
            continue
        options = sorted(
            partners[name],
            key=lambda o: (o[0], -len(skills[name].families & skills[o[1]].families),
                           degree[o[1]], fold(o[1]), o[1]),
        )
        for _, other, strength, source in options:
            if degree[name] >= REL_MIN:
                break
            k = key(name, other)
            if k in kept_keys or degree[other] >= REL_CAP:
                continue
            kept_keys.add(k)
            degree[name] += 1
            degree[other] += 1
            kept.append((k[0], k[1], strength))
            by_source[source] += 1

    kept.sort(key=lambda r: (fold(r[0]), r[0], fold(r[1]), r[1]))
    stats = {
        "candidates": len(cand),
        "by_source": by_source,
        "avg_degree": 2 * len(kept) / len(skills),
        "isolated": sorted(n for n in skills if degree[n] == 0),
        "max_degree": max(degree.values()) if degree else 0,
    }
    return kept, stats


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def attribution_text(counts: dict[str, int]) -> str:
    return f"""# Demo data attribution

The skill data in this directory (`skills.csv`, `skill_relations.csv`,
`family_skills.csv`) is derived from ESCO {ESCO_VERSION}, the European
Skills, Competences, Qualifications and Occupations classification (English
CSV export). Skill names, types, ESCO URIs, descriptions and most aliases are
taken from ESCO; descriptions are shortened to one paragraph, and a few
well-known aliases, categories, relation strengths and the job-family mapping
were added by hand. The files are generated by `scripts/build_demo_data.py`.

{ESCO_ATTRIBUTION}

ESCO: {ESCO_LINK}

`families.csv`, `first_names.txt`, `last_names.txt` and `locations.csv` are
hand-written for the demo company and do not come from ESCO.

Contents: {counts['skills']} skills, {counts['relations']} skill relations,
{counts['family_skills']} family-skill rows, {counts['families']} job families.
"""


def verify(out: Path) -> None:
    """Re-read the written files and check the invariants the Rust loader relies on."""
    def rows(name: str) -> list[dict[str, str]]:
        with (out / name).open(encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))

    problems: list[str] = []
    skills = rows("skills.csv")
    names = {r["name"] for r in skills}
    if len({fold(n) for n in names}) != len(skills):
        problems.append("skill names not unique ignoring case")
    cats = {r["category"] for r in skills}
    if not 15 <= len(cats) <= 30:
        problems.append(f"{len(cats)} categories")
    taken = {fold(n) for n in names}
    for r in skills:
        if r["skill_type"] not in ("skill/competence", "knowledge"):
            problems.append(f"bad skill_type for {r['name']}")
        if not r["esco_uri"].startswith("http://data.europa.eu/esco/skill/"):
            problems.append(f"bad uri for {r['name']}")
        if not r["description"] or len(r["description"]) > DESC_MAX or "\n" in r["description"]:
            problems.append(f"bad description for {r['name']}")
        for a in filter(None, r["aliases"].split("|")):
            if fold(a) in taken or len(a) > ALIAS_MAX_LEN:
                problems.append(f"alias {a!r} of {r['name']!r} clashes or is too long")
            taken.add(fold(a))
    pairs = set()
    for r in rows("skill_relations.csv"):
        a, b = r["skill"], r["related"]
        if a not in names or b not in names or a == b:
            problems.append(f"bad relation {a} ~ {b}")
        k = frozenset((a, b))
        if k in pairs:
            problems.append(f"duplicate relation {a} ~ {b}")
        pairs.add(k)
        if not re.fullmatch(r"0\.\d\d", r["strength"]) or not 0.10 <= float(r["strength"]) <= 0.90:
            problems.append(f"bad strength {r['strength']} for {a} ~ {b}")
    fams = {r["family"] for r in rows("families.csv")}
    if fams != set(FAMILY_ORDER):
        problems.append("families.csv does not list exactly the job families")
    seen = set()
    for r in rows("family_skills.csv"):
        if r["family"] not in fams or r["skill"] not in names or r["tier"] not in TIER_LIMITS:
            problems.append(f"bad family row {r}")
        if (r["family"], r["skill"]) in seen:
            problems.append(f"duplicate family row {r}")
        seen.add((r["family"], r["skill"]))
    if problems:
        sys.exit("ERROR: output check failed:\n  " + "\n  ".join(problems))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("esco_dir", nargs="?", default=str(DEFAULT_ESCO))
    ap.add_argument("--out", default=str(DEFAULT_OUT))
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()
    esco_dir = Path(args.esco_dir)
    out = Path(args.out)
    if not (esco_dir / "skills_en.csv").is_file():
        sys.exit(f"ERROR: {esco_dir} does not look like the ESCO CSV export")
    esco = Esco(esco_dir)

    skills, family_rows, sel_stats = select_skills(esco)
    unmapped: Counter = Counter()
    for sk in skills.values():
        sk.category = choose_category(esco, sk, unmapped)
    missing = sorted(n for n, sk in skills.items() if not sk.category)
    if missing:
        sys.exit(f"ERROR: no category for {missing} (unmapped groups: {sorted(unmapped)})")
    for sk in skills.values():
        if sk.category not in CATEGORIES:
            sys.exit(f"ERROR: unknown category {sk.category!r}")
    for name in SKILL_CATEGORY_OVERRIDES:
        if name not in skills:
            sys.exit(f"ERROR: category override for unselected skill {name!r}")
    alias_stats = build_aliases(esco, skills)
    relations, rel_stats = build_relations(esco, skills)

    files: dict[str, str] = {}
    names_sorted = sorted(skills, key=lambda n: (fold(n), n))
    files["skills.csv"] = csv_text(
        ["name", "category", "skill_type", "esco_uri", "description", "aliases"],
        [[n, skills[n].category, skills[n].skill_type, skills[n].uri, skills[n].description,
          "|".join(skills[n].aliases)] for n in names_sorted],
    )
    files["skill_relations.csv"] = csv_text(
        ["skill", "related", "strength"], [[a, b, f"{s:.2f}"] for a, b, s in relations]
    )
    tier_rank = {t: i for i, t in enumerate(TIER_LIMITS)}
    family_rows.sort(key=lambda r: (fold(r[0]), tier_rank[r[2]], fold(r[1]), r[1]))
    files["family_skills.csv"] = csv_text(["family", "skill", "tier"], [list(r) for r in family_rows])
    files["families.csv"] = csv_text(
        ["family", "department", "ic_title", "manager_title", "description"],
        [[f, *FAMILY_INFO[f]] for f in sorted(FAMILY_ORDER, key=fold)],
    )
    for fname, names in (("first_names.txt", FIRST_NAMES), ("last_names.txt", LAST_NAMES)):
        if len(set(names)) != len(names) or not all(n.isascii() and n.isalpha() for n in names):
            sys.exit(f"ERROR: {fname}: duplicates or non-ASCII names")
        if len(names) < 250:
            sys.exit(f"ERROR: {fname}: only {len(names)} names")
        files[fname] = "".join(n + "\n" for n in sorted(names))
    files["locations.csv"] = csv_text(
        ["city", "country_code", "timezone"], [list(l) for l in sorted(LOCATIONS)]
    )
    counts = {"skills": len(skills), "relations": len(relations),
              "family_skills": len(family_rows), "families": len(FAMILY_ORDER)}
    files["ATTRIBUTION.md"] = attribution_text(counts)

    out.mkdir(parents=True, exist_ok=True)
    for fname, text in sorted(files.items()):
        (out / fname).write_bytes(text.encode("utf-8"))
    verify(out)

    if not args.quiet:
        in_family = {n for _, n, _ in family_rows}
        no_family = [n for n in names_sorted if n not in in_family]
        cats = Counter(sk.category for sk in skills.values())
        print(f"wrote {out}")
        for fname in sorted(files):
            print(f"  {fname:22s} {len(files[fname].encode('utf-8')):7d} bytes")
        print(f"skills: {len(skills)} ({Counter(sk.skill_type for sk in skills.values())})")
        print(f"family rows: {len(family_rows)}; provenance: {dict(sel_stats['provenance'])}")
        for fam, names in sel_stats["not_from_occupations"].items():
            print(f"  hand-picked for {fam}: {names}")
        print(f"categories ({len(cats)}): " + ", ".join(f"{c} {n}" for c, n in sorted(cats.items())))
        print(f"aliases: {sum(len(sk.aliases) for sk in skills.values())} on "
              f"{sum(1 for sk in skills.values() if sk.aliases)} skills; dropped {dict(alias_stats['dropped'])}")
        print(f"relations: {len(relations)} of {rel_stats['candidates']} candidates; "
              f"by source {dict(rel_stats['by_source'])}; avg per skill {rel_stats['avg_degree']:.2f}; "
              f"max {rel_stats['max_degree']}; isolated {len(rel_stats['isolated'])}")
        print(f"skills without a family: {len(no_family)} "
              f"({sum(1 for n in no_family if skills[n].source == 'transversal')} general transversal, "
              f"{sum(1 for n in no_family if skills[n].source == 'extra')} extra)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
