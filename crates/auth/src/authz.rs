//! Roles, actions and the one authorization function, [`allowed`], with its object-level checks
//! (ASVS 8.1.1 documented rules, 8.2.1 function level, 8.2.2 object level, 8.4.1 tenant isolation).
//!
//! Every request of the server names an [`Action`] and the [`Object`] it touches; [`allowed`] answers
//! from the role alone, with nothing cached, so a role change applies at the next request (ASVS 8.3.2).
//! Anything not listed below is denied, and so is an action paired with an object of the wrong kind
//! (fail closed).
//!
//! | action | object | hub admin | analyst | provider user | EU viewer | public |
//! |---|---|---|---|---|---|---|
//! | view dashboard | all providers / one provider | ✓ | ✓ | own provider only | – | – |
//! | upload submission | one provider | ✓ | ✓ | own provider only | – | – |
//! | view submissions | all providers / one provider | ✓ | ✓ | own provider only | – | – |
//! | approve, lock, reopen submission | one provider | ✓ | ✓ | – | – | – |
//! | run report, national / public / EU audience | all providers | ✓ | ✓ | – | – | – |
//! | run report, provider audience | one provider | ✓ | ✓ | own provider only | – | – |
//! | create, publish release | hub | ✓ | ✓ | – | – | – |
//! | view release | a release | any | any | published public | published public or EU | published public |
//! | view reference data (codelists, provider register, map layers) | hub | ✓ | ✓ | ✓ | – | – |
//! | view mapping profiles | one provider | ✓ | ✓ | own provider only | – | – |
//! | manage mapping profiles | one provider | ✓ | ✓ | – | – | – |
//! | manage users (and their sessions), providers, codelists, map layers, hub settings | hub | ✓ | – | – | – | – |
//! | view and verify the audit log | hub | ✓ | – | – | – | – |
//! | manage API tokens | one provider | ✓ | – | – | – | – |
//! | machine submission | one provider | – | – | – | – | – |
//! | view EU totals (EU hub: received national releases, EU totals) | hub | ✓ | ✓ | – | ✓ | – |
//! | receive a national release (EU hub) | hub | – | – | – | – | – |
//! | manage own account (password, TOTP) | hub | ✓ | ✓ | ✓ | ✓ | – |
//!
//! Machine submission is never granted to a role: only an API token scoped to the provider carries it
//! (see [`crate::token`]); receiving a national release is never granted to a role either: only the
//! hub token an EU hub issued to a national hub carries it, for that hub's country.
//! The hub admin holds every analyst right as well: the observatory is small and
//! its administrators are senior analysts; separate the duties by giving administrators a second,
//! analyst-only account if the hub's policy asks for it.

use std::fmt;

/// Who a user is to the hub. A provider user is bound to exactly one provider (a tenant, ASVS 8.4.1).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Administers users, providers, codelists, map layers, settings, API tokens and the audit log;
    /// also has every analyst right.
    HubAdmin,
    /// Works with all providers' data: reviews submissions, runs reports, prepares releases.
    Analyst,
    /// Sees and submits only its own provider's data.
    ProviderUser {
        /// The provider's code in the provider register.
        provider: String,
    },
    /// Sees only published releases meant for the EU (and the public ones).
    EuViewer,
    /// Anyone not logged in: published public releases only.
    Public,
}

/// A role code that is not known, or a provider user without its provider.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum RoleError {
    /// The text is not one of the role codes.
    #[error("unknown role code")]
    UnknownCode,
    /// A provider user needs exactly one provider; other roles take none.
    #[error("role code and provider do not fit together")]
    Provider,
}

impl Role {
    /// Every role code, in the order of the enum.
    pub const CODES: [&'static str; 5] = ["hub_admin", "analyst", "provider_user", "eu_viewer", "public"];

    /// The stable code of the role for storage (the provider is kept apart).
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::HubAdmin => "hub_admin",
            Self::Analyst => "analyst",
            Self::ProviderUser { .. } => "provider_user",
            Self::EuViewer => "eu_viewer",
            Self::Public => "public",
        }
    }

    /// The role of a stored code and provider.
    ///
    /// # Errors
    /// [`RoleError`] for an unknown code, a provider user without a provider (or an empty one), or a
    /// provider given to another role.
    pub fn from_code(code: &str, provider: Option<&str>) -> Result<Self, RoleError> {
        let role = match code {
            "hub_admin" => Self::HubAdmin,
            "analyst" => Self::Analyst,
            "provider_user" => match provider {
                Some(p) if !p.trim().is_empty() => return Ok(Self::ProviderUser { provider: p.to_owned() }),
                _ => return Err(RoleError::Provider),
            },
            "eu_viewer" => Self::EuViewer,
            "public" => Self::Public,
            _ => return Err(RoleError::UnknownCode),
        };
        if provider.is_some() {
            return Err(RoleError::Provider);
        }
        Ok(role)
    }

    /// The provider of a provider user.
    #[must_use]
    pub fn provider(&self) -> Option<&str> {
        match self {
            Self::ProviderUser { provider } => Some(provider),
            _ => None,
        }
    }

    /// Hub staff: the hub admin and analysts.
    #[must_use]
    pub fn is_staff(&self) -> bool {
        matches!(self, Self::HubAdmin | Self::Analyst)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ProviderUser { provider } => write!(f, "provider_user:{provider}"),
            other => f.write_str(other.code()),
        }
    }
}

/// Whom a report is computed for; it decides the protection applied (exact, or protected as a whole).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Audience {
    /// Exact figures of all providers, for the observatory.
    National,
    /// Exact figures of one provider, for that provider.
    Provider,
    /// Protected figures for the public.
    Public,
    /// Protected figures for the EU (Eurostat, the EU anti-trafficking coordinator).
    Eu,
}

/// Everything the application does that needs a permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Action {
    /// The dashboard (key figures, submission status, data-quality alerts).
    ViewDashboard,
    /// Upload a submission file through the application.
    UploadSubmission,
    /// List and open submissions and their validation reports.
    ViewSubmissions,
    /// Approve a submission.
    ApproveSubmission,
    /// Lock an approved submission against changes.
    LockSubmission,
    /// Reopen a locked or approved submission.
    ReopenSubmission,
    /// Run a report for an audience.
    RunReport(Audience),
    /// Create a release (drafts it, computes its suppression).
    CreateRelease,
    /// Publish a release.
    PublishRelease,
    /// See a release and download its outputs.
    ViewRelease,
    /// Codelists, the provider register and map layers, read only.
    ViewReferenceData,
    /// Read a provider's mapping profiles.
    ViewProfiles,
    /// Create, edit and test a provider's mapping profiles.
    ManageProfiles,
    /// Create, edit, disable users; end their sessions (ASVS 7.4.5).
    ManageUsers,
    /// Edit the provider register.
    ManageProviders,
    /// Load new codelist versions.
    ManageCodelists,
    /// Load map layers (region boundaries).
    ManageLayers,
    /// Hub settings (MFA requirement, timeouts, keys).
    ManageSettings,
    /// Search the audit log.
    ViewAuditLog,
    /// Verify the audit chain and its checkpoints.
    VerifyAuditLog,
    /// Issue and revoke API tokens for a provider.
    ManageApiTokens,
    /// Submit a file through the API with a token.
    MachineSubmission,
    /// Change one's own password, enrol or remove one's TOTP.
    ManageOwnAccount,
    /// At an EU hub: see the received national releases and the EU totals.
    ViewEuTotals,
    /// At an EU hub: receive a national release (a national hub's token only).
    ReceiveNationalRelease,
}

impl Action {
    /// Every action, for exhaustive tests and the documentation of the access matrix.
    pub const ALL: [Self; 28] = [
        Self::ViewDashboard,
        Self::UploadSubmission,
        Self::ViewSubmissions,
        Self::ApproveSubmission,
        Self::LockSubmission,
        Self::ReopenSubmission,
        Self::RunReport(Audience::National),
        Self::RunReport(Audience::Provider),
        Self::RunReport(Audience::Public),
        Self::RunReport(Audience::Eu),
        Self::CreateRelease,
        Self::PublishRelease,
        Self::ViewRelease,
        Self::ViewReferenceData,
        Self::ViewProfiles,
        Self::ManageProfiles,
        Self::ManageUsers,
        Self::ManageProviders,
        Self::ManageCodelists,
        Self::ManageLayers,
        Self::ManageSettings,
        Self::ViewAuditLog,
        Self::VerifyAuditLog,
        Self::ManageApiTokens,
        Self::MachineSubmission,
        Self::ManageOwnAccount,
        Self::ViewEuTotals,
        Self::ReceiveNationalRelease,
    ];

    /// A stable code for logs and the audit trail (`submission.approve`, `report.run.eu`, …).
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::ViewDashboard => "dashboard.view",
            Self::UploadSubmission => "submission.upload",
            Self::ViewSubmissions => "submission.view",
            Self::ApproveSubmission => "submission.approve",
            Self::LockSubmission => "submission.lock",
            Self::ReopenSubmission => "submission.reopen",
            Self::RunReport(Audience::National) => "report.run.national",
            Self::RunReport(Audience::Provider) => "report.run.provider",
            Self::RunReport(Audience::Public) => "report.run.public",
            Self::RunReport(Audience::Eu) => "report.run.eu",
            Self::CreateRelease => "release.create",
            Self::PublishRelease => "release.publish",
            Self::ViewRelease => "release.view",
            Self::ViewReferenceData => "reference.view",
            Self::ViewProfiles => "profile.view",
            Self::ManageProfiles => "profile.manage",
            Self::ManageUsers => "user.manage",
            Self::ManageProviders => "provider.manage",
            Self::ManageCodelists => "codelist.manage",
            Self::ManageLayers => "layer.manage",
            Self::ManageSettings => "settings.manage",
            Self::ViewAuditLog => "audit.view",
            Self::VerifyAuditLog => "audit.verify",
            Self::ManageApiTokens => "token.manage",
            Self::MachineSubmission => "submission.machine",
            Self::ManageOwnAccount => "account.manage",
            Self::ViewEuTotals => "eu.view",
            Self::ReceiveNationalRelease => "eu.receive",
        }
    }

    /// The action of a [`code`](Action::code).
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }
}

/// Who a release is published for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReleaseAudience {
    /// Everyone.
    Public,
    /// The EU bodies only.
    Eu,
}

/// What an action touches: the owner of the data, for object-level checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Object<'a> {
    /// The hub itself (settings, users, registers): no data owner.
    Hub,
    /// Data of every provider (a national view or list).
    AllProviders,
    /// Data owned by one provider (a submission, its report, its profiles, its tokens): the provider's code.
    Provider(&'a str),
    /// A release, with its audience and whether it is published.
    Release {
        /// Who the release is for.
        audience: ReleaseAudience,
        /// Published (visible to its audience) or still a draft.
        published: bool,
    },
}

/// Whether `role` may perform `action` on `object`. Pure, total and fail-closed: an object of the wrong
/// kind for the action is denied. See the module documentation for the matrix.
#[must_use]
pub fn allowed(role: &Role, action: Action, object: Object<'_>) -> bool {
    let own = |p: &str| matches!(role, Role::ProviderUser { provider } if provider == p);
    let staff = role.is_staff();
    let admin = matches!(role, Role::HubAdmin);
    match (action, object) {
        (Action::ViewDashboard | Action::ViewSubmissions, Object::AllProviders) => staff,
        (Action::ViewDashboard | Action::ViewSubmissions | Action::UploadSubmission, Object::Provider(p)) => {
            staff || own(p)
        }
        (
            Action::ApproveSubmission | Action::LockSubmission | Action::ReopenSubmission,
            Object::Provider(_),
        ) => staff,
        (Action::RunReport(Audience::National | Audience::Public | Audience::Eu), Object::AllProviders) => {
            staff
        }
        (Action::RunReport(Audience::Provider), Object::Provider(p)) => staff || own(p),
        (Action::CreateRelease | Action::PublishRelease, Object::Hub) => staff,
        (Action::ViewRelease, Object::Release { audience, published }) => match role {
            Role::HubAdmin | Role::Analyst => true,
            Role::EuViewer => published,
            Role::ProviderUser { .. } | Role::Public => published && audience == ReleaseAudience::Public,
        },
        (Action::ViewReferenceData, Object::Hub) => staff || role.provider().is_some(),
        (Action::ViewProfiles, Object::Provider(p)) => staff || own(p),
        (Action::ManageProfiles, Object::Provider(_)) => staff,
        (
            Action::ManageUsers
            | Action::ManageProviders
            | Action::ManageCodelists
            | Action::ManageLayers
            | Action::ManageSettings
            | Action::ViewAuditLog
            | Action::VerifyAuditLog,
            Object::Hub,
        ) => admin,
        (Action::ManageApiTokens, Object::Provider(_)) => admin,
        (Action::ManageOwnAccount, Object::Hub) => !matches!(role, Role::Public),
        (Action::ViewEuTotals, Object::Hub) => staff || matches!(role, Role::EuViewer),
        // Machine submission belongs to API tokens only, receiving a national release to hub tokens
        // only; every other pairing is of the wrong kind.
        _ => false,
    }
}
