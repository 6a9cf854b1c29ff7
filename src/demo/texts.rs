//! The demo company's copy: the titles and sentences that opportunities, applications,
//! conversations and messages are made of.

/// Project (gig) titles per job family.
pub const PROJECT_TITLES: [(&str, &[&str]); 12] = [
    (
        "Engineering",
        &[
            "Migrate the billing service to the new payments platform",
            "Add end-to-end tests to the checkout flow",
            "Cut the CI pipeline time in half",
            "Build an internal status page",
            "Retire the legacy authentication service",
            "Instrument the mobile app with tracing",
        ],
    ),
    (
        "Sales",
        &[
            "Build the sales playbook for the public sector",
            "Refresh the mid-market sales deck",
            "Win-loss analysis of last year's enterprise deals",
            "Pilot a partner referral programme in the Nordics",
        ],
    ),
    (
        "Customer Success",
        &[
            "Design the onboarding programme for enterprise customers",
            "Reduce first-response time in the support queue",
            "Write help-centre articles for the new reporting features",
            "Set up a customer advisory board",
            "Build a health score for at-risk accounts",
        ],
    ),
    (
        "Data & Analytics",
        &[
            "Migrate the billing reports to the new data warehouse",
            "Customer churn analysis for the Q3 review",
            "Build a self-service sales dashboard",
            "Forecast support ticket volume for next year",
            "Data quality checks for the product events pipeline",
        ],
    ),
    (
        "Operations",
        &[
            "Map and streamline the purchase-order process",
            "Select a new travel booking provider",
            "Plan the Lisbon office move",
            "Set up a vendor risk review",
        ],
    ),
    (
        "Marketing",
        &[
            "Plan the launch campaign for the mobile app",
            "Produce a customer case-study series",
            "Rework the website's pricing page",
            "Organise the annual customer conference",
        ],
    ),
    (
        "Product Management",
        &[
            "Discovery interviews for the enterprise admin console",
            "Define pricing experiments for the starter plan",
            "Competitive analysis for the analytics add-on",
            "Write the launch plan for the partner API",
        ],
    ),
    (
        "Finance",
        &[
            "Automate the monthly close reconciliations",
            "Build next year's budget model",
            "Review software spend across departments",
            "Prepare the documentation for the annual audit",
        ],
    ),
    (
        "IT & Security",
        &[
            "Roll out single sign-on to the remaining tools",
            "Run a phishing-awareness campaign",
            "Prepare for the ISO 27001 surveillance audit",
            "Replace the laptop fleet management tool",
        ],
    ),
    (
        "Design",
        &[
            "Refresh the design system's form components",
            "Usability study of the onboarding flow",
            "Accessibility audit of the customer portal",
            "Redesign the mobile settings screens",
        ],
    ),
    (
        "People (HR)",
        &[
            "Redesign the new-joiner onboarding week",
            "Run the engagement survey and share the results",
            "Build a mentoring programme for new managers",
            "Refresh the career framework for Customer Success",
        ],
    ),
    (
        "Legal",
        &[
            "Update the standard customer contract templates",
            "Map personal data flows for the privacy register",
            "Train the sales team on contract negotiation basics",
            "Review open-source licences in our products",
        ],
    ),
];

/// "a" or "an" before `word` (by how it starts; numbers as spoken: "an 8-month").
pub fn article(word: &str) -> &'static str {
    let spoken_vowel = word.starts_with('8') || word.starts_with("11") || word.starts_with("18");
    match word.chars().next() {
        _ if spoken_vowel => "an",
        Some('A' | 'E' | 'I' | 'O' | 'a' | 'e' | 'i' | 'o') => "an",
        _ => "a",
    }
}

/// "a", "a and b", "a, b and c".
pub fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The entry in a per-family table, or the first one when the family is missing.
pub fn for_family<'a, T: ?Sized>(table: &'a [(&str, &'a T)], family: &str) -> &'a T {
    table
        .iter()
        .find(|(name, _)| *name == family)
        .map(|(_, v)| *v)
        .unwrap_or(table[0].1)
}

/// Second sentences of a role description.
pub const ROLE_PITCHES: [&str; 5] = [
    "You will join a team that ships often, reviews each other's work and shares what it learns.",
    "The team is growing and looking for someone who enjoys improving how things are done.",
    "You will work closely with colleagues across the company and own real work from day one.",
    "We care about sustainable pace, good documentation and helping each other grow.",
    "Expect a mix of hands-on work, collaboration with other teams and room to shape the role.",
];

/// Closing sentences of a role or secondment description.
pub const ROLE_CLOSERS: [&str; 4] = [
    "Internal applicants who meet most of the essential skills are encouraged to apply.",
    "Tell us in your motivation what you would bring and what you would like to learn.",
    "We are happy to talk before you apply: reach out to the hiring manager.",
    "The hiring manager will reply to every applicant within two weeks.",
];

/// Second sentences of a project description.
pub const PROJECT_PITCHES: [&str; 4] = [
    "It is a good way to learn how another team works while keeping your current role.",
    "You will work with a small group from several departments and present the results at the end.",
    "The work is well scoped, and the team will help you get started in the first week.",
    "Your manager needs to agree to the hours before you join.",
];

/// Screening questions an opportunity may ask.
pub const QUESTIONS: [&str; 6] = [
    "Why are you interested in this opportunity?",
    "Tell us about a piece of work you are proud of and your part in it.",
    "What would you like to learn in this role?",
    "When could you start, and how much notice does your current team need?",
    "Describe a time you worked across teams to deliver something.",
    "Which of the listed skills would you most like to develop, and why?",
];

/// Answers to each screening question of [`QUESTIONS`], in the same order: an answer always
/// answers its own question.
pub const ANSWERS: [&[&str]; 6] = [
    &[
        "The work is close to what I do now, and I would like to take it further with this team.",
        "I want to grow in the skills this role needs, and this team is the best place to do it.",
    ],
    &[
        "Last quarter I led a small improvement project that cut our turnaround time noticeably; I planned it and did most of the work.",
        "I rebuilt our team's weekly report so that it runs by itself; I designed it and trained two colleagues to maintain it.",
    ],
    &[
        "I would like to learn to own larger pieces of work end to end and to guide newer colleagues.",
        "I want to deepen the skills listed as essential and learn how the team plans its work.",
    ],
    &[
        "I could start within four weeks; my manager and I have talked about a hand-over plan.",
        "My team needs about six weeks' notice to hand over my current work.",
    ],
    &[
        "I worked with three other teams on a launch and coordinated the weekly check-ins.",
        "I set up a shared backlog with a partner team so that we could deliver a joint feature on time.",
    ],
    &[
        "The skill I have least practice in; I have started a course and would like to use it every day.",
        "The most essential one: it is where I can grow fastest with the team's help.",
    ],
];

/// The answers to the screening question `prompt` (one of [`QUESTIONS`]).
pub fn answers_to(prompt: &str) -> &'static [&'static str] {
    let i = QUESTIONS.iter().position(|q| *q == prompt).unwrap_or(0);
    ANSWERS[i]
}

/// Motivations written by applicants.
pub const MOTIVATIONS: [&str; 6] = [
    "I have been working towards this kind of role and feel ready for the next step.",
    "This opportunity matches the skills I have been building and the direction I want to grow in.",
    "I enjoy working with this team already and would love to contribute more directly.",
    "I would like to broaden my experience beyond my current team and learn from new colleagues.",
    "My manager and I discussed this move in my last career conversation.",
    "I bring hands-on experience with most of the essential skills and am keen to learn the rest.",
];

/// Reasons given when an application is rejected.
pub const REJECTION_REASONS: [&str; 5] = [
    "We chose a candidate with more experience in the essential skills.",
    "The role needs someone who can start sooner.",
    "Other applicants matched the essential skills more closely.",
    "We decided to fill this position at a different level.",
    "Thank you for applying; we would encourage you to apply again after building more experience.",
];

/// What a person said they aspire to, in a career conversation.
pub const ASPIRATIONS_HEARD: [&str; 6] = [
    "Wants to grow towards {target} within the next two years.",
    "Interested in {target}; would like more ownership first.",
    "Happy in the current role for now; wants to deepen expertise before a move.",
    "Curious about people management and would like to lead a small project first.",
    "Would like to try a project in another team to see if {target} is a good fit.",
    "Wants more visibility and to mentor newer colleagues.",
];

/// Notes of a career conversation.
pub const CONVERSATION_NOTES: [&str; 5] = [
    "Went through the skill profile together and agreed which levels to validate.",
    "Discussed the gaps to the target role and a realistic time line.",
    "Reviewed last quarter's work; strong delivery, wants more stretch.",
    "Talked about workload and making room for learning every week.",
    "Agreed to look at open projects and secondments together next month.",
];

/// Agreed actions after a career conversation.
pub const CONVERSATION_ACTIONS: [&str; 7] = [
    "Enrol in a course for the biggest skill gap",
    "Find a mentor for the next quarter",
    "Apply to a project in another team",
    "Update the skill profile and ask for validation",
    "Shadow a colleague in the target role for a week",
    "Revisit aspirations at the next one-to-one",
    "Take the lead on the next team planning session",
];

/// Aspiration summaries.
pub const ASPIRATION_SUMMARIES: [&str; 6] = [
    "I would like to grow towards {target} in the next two years.",
    "Looking to broaden my experience and take on more ownership.",
    "Interested in {target}; open to projects that help me get there.",
    "I enjoy my current role and want to deepen my expertise.",
    "I would like to explore other teams through a project or secondment.",
    "Keen to mentor others and learn from more senior colleagues.",
];

/// Messages of mentorship requests.
pub const MENTORSHIP_MESSAGES: [&str; 4] = [
    "Would you have time for a monthly chat? I am trying to grow in this area.",
    "I saw that you offer mentoring and would love to learn from your experience.",
    "My manager suggested I reach out to you for guidance.",
    "I am preparing for a move and would value your perspective.",
];

/// Messages of invitations to apply.
pub const INVITATION_MESSAGES: [&str; 4] = [
    "Your profile looks like a strong fit for this one; I would love to see you apply.",
    "I think this would be a great next step for you. Happy to chat first.",
    "We are looking for exactly the skills you have. Would you consider applying?",
    "A colleague recommended you for this. Let me know if you have questions.",
];
