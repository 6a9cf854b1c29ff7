//! The demo company's shape: head-count shares per job family, offices per department, and
//! team names.

use super::taxonomy::Taxonomy;

/// Share of the head count per job family (sums to 1).
pub const FAMILY_SHARES: [(&str, f64); 12] = [
    ("Engineering", 0.30),
    ("Sales", 0.13),
    ("Customer Success", 0.11),
    ("Data & Analytics", 0.08),
    ("Operations", 0.07),
    ("Marketing", 0.07),
    ("Product Management", 0.06),
    ("Finance", 0.05),
    ("IT & Security", 0.04),
    ("Design", 0.04),
    ("People (HR)", 0.03),
    ("Legal", 0.02),
];

/// The office where the company is headquartered (the CEO's).
pub const HEADQUARTERS: &str = "Amsterdam";

/// Offices of each department, the main one first.
pub const DEPARTMENT_OFFICES: [(&str, &[&str]); 11] = [
    (
        "Engineering",
        &[
            "Berlin",
            "Amsterdam",
            "Lisbon",
            "Warsaw",
            "Bangalore",
            "Toronto",
        ],
    ),
    ("Data", &["Amsterdam", "Berlin", "Bangalore", "London"]),
    ("Product", &["Amsterdam", "Berlin", "London", "New York"]),
    (
        "Sales",
        &[
            "London",
            "New York",
            "Paris",
            "Singapore",
            "Austin",
            "Toronto",
            "Dublin",
        ],
    ),
    (
        "Customer Success",
        &["Dublin", "Lisbon", "Austin", "Singapore", "Toronto"],
    ),
    ("Marketing", &["London", "New York", "Amsterdam", "Paris"]),
    ("Operations", &["Amsterdam", "Dublin", "Warsaw", "Austin"]),
    ("Finance", &["Amsterdam", "London", "Dublin"]),
    ("IT", &["Warsaw", "Bangalore", "Amsterdam"]),
    ("People", &["Amsterdam", "London", "Austin"]),
    ("Legal", &["London", "Amsterdam", "New York"]),
];

/// Team names per job family ("Engineering · Payments").
pub const TEAM_AREAS: [(&str, &[&str]); 12] = [
    (
        "Engineering",
        &[
            "Platform",
            "Payments",
            "Billing",
            "Mobile",
            "Web Frontend",
            "Core API",
            "Search",
            "Identity & Access",
            "Infrastructure",
            "Reliability",
            "Developer Experience",
            "Data Platform",
            "Integrations",
            "Notifications",
            "Messaging",
            "Growth",
            "Checkout",
            "Onboarding",
            "Observability",
            "Release Engineering",
            "Storage",
            "Networking",
            "Performance",
            "Accessibility",
            "Internal Tools",
            "Reporting",
            "Marketplace",
            "Pricing",
            "Localisation",
            "Workflow Automation",
        ],
    ),
    (
        "Sales",
        &[
            "EMEA Enterprise",
            "EMEA Mid-Market",
            "North America Enterprise",
            "North America Mid-Market",
            "APAC",
            "DACH",
            "UK & Ireland",
            "Benelux",
            "France",
            "Nordics",
            "Public Sector",
            "Strategic Accounts",
            "Inside Sales",
            "Sales Development",
            "Partnerships",
            "Channel Sales",
            "Renewals",
            "Solutions Consulting",
        ],
    ),
    (
        "Customer Success",
        &[
            "Onboarding",
            "Enterprise Success",
            "SMB Success",
            "Support EMEA",
            "Support Americas",
            "Support APAC",
            "Technical Support",
            "Customer Education",
            "Renewals & Expansion",
            "Implementation",
            "Escalations",
            "Community",
        ],
    ),
    (
        "Data & Analytics",
        &[
            "Product Analytics",
            "Business Intelligence",
            "Data Engineering",
            "Data Science",
            "Marketing Analytics",
            "Finance Analytics",
            "Experimentation",
            "Forecasting",
            "Data Governance",
            "Machine Learning",
            "Customer Insights",
        ],
    ),
    (
        "Operations",
        &[
            "Business Operations",
            "Procurement",
            "Facilities",
            "Programme Management",
            "Vendor Management",
            "Workplace",
            "Revenue Operations",
            "Process Excellence",
            "Logistics",
            "Travel & Events",
        ],
    ),
    (
        "Marketing",
        &[
            "Brand",
            "Content",
            "Demand Generation",
            "Product Marketing",
            "Digital Marketing",
            "Events",
            "Communications",
            "Marketing Operations",
            "SEO & Web",
            "Social Media",
            "Partner Marketing",
            "Customer Marketing",
        ],
    ),
    (
        "Product Management",
        &[
            "Core Product",
            "Growth",
            "Payments",
            "Platform",
            "Mobile",
            "Enterprise",
            "Integrations",
            "Analytics Product",
            "Onboarding Experience",
            "Pricing & Packaging",
        ],
    ),
    (
        "Finance",
        &[
            "Financial Planning & Analysis",
            "Accounting",
            "Accounts Payable",
            "Accounts Receivable",
            "Tax",
            "Treasury",
            "Payroll",
            "Controlling",
            "Revenue Accounting",
            "Audit & Controls",
        ],
    ),
    (
        "IT & Security",
        &[
            "Security Operations",
            "Identity Services",
            "End User Computing",
            "Corporate Infrastructure",
            "Governance, Risk & Compliance",
            "Network",
            "Service Desk",
            "Application Security",
            "Corporate Systems",
            "Incident Response",
        ],
    ),
    (
        "Design",
        &[
            "Design Systems",
            "User Research",
            "Interaction Design",
            "Visual Design",
            "Content Design",
            "Mobile Design",
            "Design Operations",
            "Service Design",
        ],
    ),
    (
        "People (HR)",
        &[
            "Talent Acquisition",
            "People Partners",
            "Learning & Development",
            "Total Rewards",
            "People Operations",
            "Employee Experience",
            "Diversity & Inclusion",
            "HR Systems",
            "Workforce Planning",
        ],
    ),
    (
        "Legal",
        &[
            "Commercial",
            "Privacy & Data Protection",
            "Compliance",
            "Employment Law",
            "Intellectual Property",
            "Corporate",
        ],
    ),
];

const TECH_SUFFIXES: &[&str] = &[
    "Core",
    "Platform",
    "Growth",
    "Experience",
    "Tooling",
    "Reliability",
    "Integrations",
    "Automation",
];
const COMMERCIAL_SUFFIXES: &[&str] = &[
    "North",
    "South",
    "East",
    "West",
    "Central",
    "Key Accounts",
    "Growth",
    "Expansion",
];
const MARKETING_SUFFIXES: &[&str] = &[
    "Global",
    "Regional",
    "Campaigns",
    "Studio",
    "Growth",
    "Insights",
];
const CORPORATE_SUFFIXES: &[&str] = &[
    "EMEA",
    "Americas",
    "APAC",
    "Global",
    "Shared Services",
    "Projects",
];

/// Words that tell apart several teams in one area ("Payments Core"), per job family.
pub const TEAM_SUFFIXES: [(&str, &[&str]); 12] = [
    ("Engineering", TECH_SUFFIXES),
    ("Data & Analytics", TECH_SUFFIXES),
    ("IT & Security", TECH_SUFFIXES),
    ("Design", TECH_SUFFIXES),
    ("Product Management", TECH_SUFFIXES),
    ("Sales", COMMERCIAL_SUFFIXES),
    ("Customer Success", COMMERCIAL_SUFFIXES),
    ("Marketing", MARKETING_SUFFIXES),
    ("Finance", CORPORATE_SUFFIXES),
    ("Operations", CORPORATE_SUFFIXES),
    ("People (HR)", CORPORATE_SUFFIXES),
    ("Legal", CORPORATE_SUFFIXES),
];

/// Head count per family (indexed like `taxonomy.families`), summing to `total`: the shares
/// of [`FAMILY_SHARES`] rounded by largest remainder.
pub fn family_counts(t: &Taxonomy, total: u32) -> Vec<u32> {
    let mut counts = vec![0u32; t.families.len()];
    let mut remainders = Vec::new();
    for (i, (name, share)) in FAMILY_SHARES.iter().enumerate() {
        let f = t
            .family_named(name)
            .expect("FAMILY_SHARES names a family of families.csv") as usize;
        let exact = f64::from(total) * share;
        counts[f] = exact.floor() as u32;
        remainders.push((exact - exact.floor(), i, f));
    }
    let assigned: u32 = counts.iter().sum();
    remainders.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(_, _, f) in remainders
        .iter()
        .take(total.saturating_sub(assigned) as usize)
    {
        counts[f] += 1;
    }
    counts
}
