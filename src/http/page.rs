//! The page frame every HTML page shares, and rendering helpers.

use askama::Template;
use axum::response::Html;

use crate::error::AppError;
use crate::http::session::CurrentUser;

/// Which part of the navigation is active.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Home,
    Profile,
    Opportunities,
    Applications,
    Careers,
    Learning,
    Mentors,
    Notifications,
    Team,
    Postings,
    Hr,
    None,
}

/// What the base template needs: the title, who is signed in, the active section.
#[derive(Debug, Clone)]
pub struct Page {
    pub title: String,
    pub user: Option<CurrentUser>,
    pub section: Section,
}

impl Page {
    pub fn new(title: impl Into<String>, user: &CurrentUser, section: Section) -> Self {
        Page {
            title: title.into(),
            user: Some(user.clone()),
            section,
        }
    }

    pub fn anonymous(title: impl Into<String>) -> Self {
        Page {
            title: title.into(),
            user: None,
            section: Section::None,
        }
    }

    /// The CSRF token forms on this page must carry.
    pub fn csrf(&self) -> &str {
        self.user
            .as_ref()
            .map(|u| u.csrf_token.as_str())
            .unwrap_or("")
    }

    /// True when `name` (home, profile, opportunities, ..., team, postings, hr) is the active
    /// section.
    pub fn is(&self, name: &str) -> bool {
        let active = match self.section {
            Section::Home => "home",
            Section::Profile => "profile",
            Section::Opportunities => "opportunities",
            Section::Applications => "applications",
            Section::Careers => "careers",
            Section::Learning => "learning",
            Section::Mentors => "mentors",
            Section::Notifications => "notifications",
            Section::Team => "team",
            Section::Postings => "postings",
            Section::Hr => "hr",
            Section::None => "",
        };
        active == name
    }
}

/// Render a template; a template error becomes a logged 500, never text sent to the user.
pub fn render<T: Template>(template: &T) -> Result<Html<String>, AppError> {
    template
        .render()
        .map(Html)
        .map_err(|err| AppError::Other(anyhow::anyhow!("template rendering failed: {err}")))
}
