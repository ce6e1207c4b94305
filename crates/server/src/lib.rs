//! The hub's web application (`mosy serve`): server-rendered pages and a JSON API over the `app`
//! use cases, secured by the pure `auth` crate and worded by `i18n`.
//!
//! - [`router`] builds the axum router over an [`AppState`]; [`serve`] binds it to a socket.
//! - Every response carries the security headers of [`headers`] (a CSP that loads nothing from
//!   outside the hub and runs no script, `nosniff`, `no-referrer`, no framing).
//! - Every request is authenticated by [`ctx::Ctx`] (server-side session in an HttpOnly,
//!   SameSite=Strict cookie; idle and absolute timeouts), every handler asks [`auth::allowed`]
//!   before touching data, and every POST carries a CSRF token checked by [`auth::csrf`].
//! - Logins, report runs, exports, denials and admin changes are appended to the hash-chained
//!   audit log ([`audit_log`]); never contents.
//! - The API's OpenAPI 3 document is generated from the same route table that builds the API
//!   router ([`api::ROUTES`]).
//!
//! The store is synchronous: it sits behind a `std::sync::Mutex` and is used from
//! `tokio::task::spawn_blocking`.

pub mod accounts;
pub mod admin;
pub mod api;
pub mod audit_log;
mod cache;
mod catalog;
pub mod ctx;
pub mod eu;
pub mod html;
mod mapview;
pub mod pages;
mod releases;
pub mod submit;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use auth::{PasswordHashing, SessionPolicy, SystemRng, Throttle};
use axum::Router;
use axum::http::{HeaderValue, header};
use axum::routing::{get, post};
use stats::Engine;
use store::Store;

/// What can go wrong in the server. Messages never carry secrets or record values.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] store::Error),
    /// A use case failed.
    #[error(transparent)]
    App(#[from] app::Error),
    /// No system randomness.
    #[error("no system randomness")]
    Rng,
    /// Password hashing failed.
    #[error("password hashing: {0}")]
    Password(#[from] auth::password::PasswordError),
    /// An audit record was refused.
    #[error("audit: {0}")]
    Audit(#[from] auth::audit::AuditError),
    /// A stored value could not be read back.
    #[error("stored {0} is malformed")]
    Corrupt(&'static str),
    /// A role code or provider that does not fit.
    #[error("role: {0}")]
    Role(#[from] auth::authz::RoleError),
    /// The listener failed.
    #[error("network: {0}")]
    Io(#[from] std::io::Error),
    /// A blocking task panicked or was cancelled.
    #[error("background task failed")]
    Join,
}

impl From<auth::RngError> for Error {
    fn from(_: auth::RngError) -> Self {
        Error::Rng
    }
}

/// Result of the server.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The level a hub works at (`mosy serve --level`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Level {
    /// A national hub: providers' records, reports, releases.
    #[default]
    National,
    /// An EU hub: also receives national releases from registered national hubs
    /// (`POST /api/eu/releases`) and shows EU totals (`/eu`, `GET /api/eu/totals`).
    Eu,
}

/// How the server runs.
#[derive(Clone, Debug)]
pub struct Config {
    /// Address to listen on.
    pub bind: SocketAddr,
    /// The hub database: a SQLite path or a PostgreSQL URL (see `store::Store::open`).
    pub database: String,
    /// Whether the hub is reached over TLS (then the cookie is `__Host-…; Secure`).
    pub secure_cookies: bool,
    /// Idle and absolute session timeouts.
    pub sessions: SessionPolicy,
    /// argon2id hashing (the recommended parameters; `PasswordHashing::for_tests` in tests).
    pub hashing: PasswordHashing,
    /// National or EU hub.
    pub level: Level,
}

impl Config {
    /// Defaults for a database location: 127.0.0.1:8080, no TLS, recommended hashing.
    pub fn new(database: impl Into<String>) -> Config {
        Config {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database: database.into(),
            secure_cookies: false,
            sessions: SessionPolicy::default(),
            hashing: PasswordHashing::new(auth::HashParams::RECOMMENDED)
                .expect("the recommended argon2id parameters are valid"),
            level: Level::National,
        }
    }
}

struct CachedEngine {
    version: String,
    engine: Arc<Engine>,
}

/// The engine slot: the last engine built, and whether a build is under way.
#[derive(Default)]
struct EngineSlot {
    current: Option<CachedEngine>,
    /// When the build under way started.
    building: Option<Instant>,
    /// How long the last build took.
    last_build: Option<Duration>,
    failed: Option<String>,
}

/// How long after a build of the engine of changed data has started reports wait for it, when
/// the previous build took less than this (small hubs: reports are always fresh); otherwise, and
/// after that time, reports are computed on the previous engine, whose data version every output
/// states, until the build is done.
const ENGINE_WAIT: Duration = Duration::from_millis(250);
/// How long the data version read from the store is trusted when this process changed nothing
/// (changes by other processes, such as `mosy import`, are seen within this time).
const VERSION_TTL: Duration = Duration::from_secs(1);

/// A report under computation, shared by the requests waiting for it.
type Computing = Arc<tokio::sync::OnceCell<Arc<Vec<u8>>>>;

pub(crate) struct Inner {
    pub(crate) config: Config,
    pub(crate) store: Mutex<Store>,
    pub(crate) throttle: Mutex<Throttle>,
    pub(crate) hashing: PasswordHashing,
    pub(crate) cookie: auth::CookieConfig,
    /// Key of the CSRF tokens of the login form (before any session exists), per process.
    pub(crate) login_csrf: auth::csrf::CsrfSecret,
    /// The group-commit writer of the audit log.
    pub(crate) auditor: audit_log::Auditor,
    /// Live sessions recently read from the store.
    pub(crate) sessions: ctx::SessionCache,
    /// Connections for reads that must not wait behind a long write (reports, sessions), one
    /// per core so that different reports are computed in parallel.
    readers: Vec<Mutex<Store>>,
    /// Reports being computed: a request for the same report waits for it instead of computing it
    /// again (single flight).
    computing: Mutex<std::collections::BTreeMap<String, Computing>>,
    engine: Mutex<EngineSlot>,
    engine_built: Condvar,
    /// Bumped when this process changes data (uploads, status changes).
    data_epoch: AtomicU64,
    version: Mutex<Option<(Instant, u64, String)>>,
    reports: Mutex<cache::ReportCache>,
    /// The hub setting requiring a second factor of admins, with when it was read.
    admin_totp: Mutex<Option<(Instant, bool)>>,
}

/// The hub setting (store key) that makes a TOTP second factor mandatory for hub admins.
pub const ADMIN_TOTP_SETTING: &str = "auth.admin_totp_required";

/// Builds the engine of the current data on its own connection and puts it in the slot.
fn build_engine(inner: &Inner) {
    let started = Instant::now();
    let built = Store::open(&inner.config.database).map_err(Error::from).and_then(|mut s| {
        let version = app::reporting::data_version(&mut s)?;
        let engine = app::reporting::engine(&mut s, model::Codelists::embedded())?;
        Ok(CachedEngine { version, engine: Arc::new(engine) })
    });
    let mut slot = lock(&inner.engine);
    slot.building = None;
    slot.last_build = Some(started.elapsed());
    match built {
        Ok(c) => slot.current = Some(c),
        Err(e) => slot.failed = Some(e.to_string()),
    }
    inner.engine_built.notify_all();
}

/// The shared state of the server: the store, the login throttle, the engine cache.
#[derive(Clone)]
pub struct AppState(pub(crate) Arc<Inner>);

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A free reading connection, or (all busy) the first one when it is free.
fn reader(inner: &Inner) -> MutexGuard<'_, Store> {
    for m in &inner.readers {
        match m.try_lock() {
            Ok(guard) => return guard,
            Err(std::sync::TryLockError::Poisoned(p)) => return p.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => {}
        }
    }
    lock(&inner.readers[0])
}

impl AppState {
    /// Opens the hub database and prepares the state.
    ///
    /// # Errors
    /// [`Error`] when the store cannot be opened or there is no randomness.
    pub fn open(config: Config) -> Result<AppState> {
        let store = Store::open(&config.database)?;
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get).clamp(2, 8);
        let readers =
            (0..cores).map(|_| Store::open(&config.database).map(Mutex::new)).collect::<Result<_, _>>()?;
        let auditor = audit_log::Auditor::start(&config.database)?;
        let hashing = config.hashing.clone();
        let login_csrf = auth::csrf::CsrfSecret::generate(&mut SystemRng)?;
        Ok(AppState(Arc::new(Inner {
            cookie: auth::CookieConfig::session(config.secure_cookies),
            config,
            store: Mutex::new(store),
            throttle: Mutex::new(Throttle::default()),
            hashing,
            login_csrf,
            auditor,
            sessions: ctx::SessionCache::default(),
            readers,
            computing: Mutex::new(std::collections::BTreeMap::new()),
            engine: Mutex::new(EngineSlot::default()),
            engine_built: Condvar::new(),
            data_epoch: AtomicU64::new(0),
            version: Mutex::new(None),
            reports: Mutex::new(cache::ReportCache::new(cache::REPORT_CACHE_BYTES)),
            admin_totp: Mutex::new(None),
        })))
    }

    /// Runs `f` with the store on a blocking thread.
    pub(crate) async fn with_store<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let inner = self.0.clone();
        tokio::task::spawn_blocking(move || f(&mut lock(&inner.store))).await.map_err(|_| Error::Join)?
    }

    /// Runs `f` with the reading connection on a blocking thread (reports: never behind an import).
    pub(crate) async fn with_reader<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let inner = self.0.clone();
        tokio::task::spawn_blocking(move || f(&mut reader(&inner))).await.map_err(|_| Error::Join)?
    }

    /// Runs a small write on the store in the background (session bookkeeping): the request does
    /// not wait for it, and a failure is logged.
    pub(crate) fn in_background(&self, f: impl FnOnce(&mut Store) -> Result<()> + Send + 'static) {
        let inner = self.0.clone();
        tokio::task::spawn_blocking(move || {
            if let Err(e) = f(&mut lock(&inner.store)) {
                tracing::warn!(error = %e, "background write failed");
            }
        });
    }

    /// Appends the audit event of a read-only action (a report run, an export, a download) without
    /// waiting for its commit: it is committed with the next group, normally within milliseconds,
    /// and a crash before then may lose it. Changes are audited with [`AppState::audit`].
    pub(crate) fn audit_read(&self, record: auth::AuditRecord) {
        self.0.auditor.append_later(record);
    }

    /// Waits until every audit event queued so far is committed (tests, shutdown).
    ///
    /// # Errors
    /// The store's, or [`Error::Join`] when the writer has stopped.
    pub async fn flush_audit(&self) -> Result<()> {
        self.0.auditor.flush().await
    }

    /// Appends an audit event and waits until it is committed (group commit).
    pub(crate) async fn audit(&self, record: auth::AuditRecord) -> Result<()> {
        self.0.auditor.append(record).await
    }

    /// Says that this process changed data: the next report reads the data version again.
    pub(crate) fn data_changed(&self) {
        self.0.data_epoch.fetch_add(1, Ordering::SeqCst);
    }

    /// Says that accounts, sessions or their settings changed: cached sessions (and the setting
    /// requiring a second factor of admins) are read again.
    pub(crate) fn accounts_changed(&self) {
        self.0.sessions.invalidate();
        *lock(&self.0.admin_totp) = None;
    }

    /// Whether hub admins must have a TOTP second factor (the hub setting [`ADMIN_TOTP_SETTING`],
    /// read at most every 5 s unless this process changed it).
    pub(crate) async fn admin_totp_required(&self) -> Result<bool> {
        if let Some((at, on)) = *lock(&self.0.admin_totp)
            && at.elapsed() < Duration::from_secs(5)
        {
            return Ok(on);
        }
        let on = self.with_reader(|s| Ok(s.setting(ADMIN_TOTP_SETTING)?.as_deref() == Some("true"))).await?;
        *lock(&self.0.admin_totp) = Some((Instant::now(), on));
        Ok(on)
    }

    /// The data version (cached for [`VERSION_TTL`] unless this process changed data).
    fn data_version(inner: &Inner) -> Result<String> {
        let epoch = inner.data_epoch.load(Ordering::SeqCst);
        if let Some((at, e, v)) = lock(&inner.version).as_ref()
            && *e == epoch
            && at.elapsed() < VERSION_TTL
        {
            return Ok(v.clone());
        }
        let version = app::reporting::data_version(&mut reader(inner))?;
        *lock(&inner.version) = Some((Instant::now(), epoch, version.clone()));
        Ok(version)
    }

    /// The statistics engine of the current data. When the data changed, one engine is built in the
    /// background (on its own connection); a request waits for it up to [`ENGINE_WAIT`] and is
    /// otherwise answered from the previous engine, whose data version every output states.
    pub(crate) async fn engine(&self) -> Result<Arc<Engine>> {
        let inner = self.0.clone();
        tokio::task::spawn_blocking(move || {
            let version = AppState::data_version(&inner)?;
            let mut slot = lock(&inner.engine);
            let mut started = false;
            loop {
                if let Some(c) = slot.current.as_ref().filter(|c| c.version == version) {
                    return Ok(c.engine.clone());
                }
                let building_since = match slot.building {
                    Some(since) => since,
                    None => {
                        if started {
                            // The build this request started has finished, for newer data or not at all.
                            if let Some(c) = &slot.current {
                                return Ok(c.engine.clone());
                            }
                            let failure = slot.failed.take().unwrap_or_default();
                            tracing::error!(error = %failure, "engine build failed");
                            return Err(Error::Corrupt("statistics engine (see the server log)"));
                        }
                        slot.failed = None;
                        let now = Instant::now();
                        slot.building = Some(now);
                        started = true;
                        let builder = inner.clone();
                        std::thread::Builder::new()
                            .name("mosy-engine".into())
                            .spawn(move || build_engine(&builder))?;
                        now
                    }
                };
                let quick = slot.last_build.is_none_or(|d| d < ENGINE_WAIT);
                let deadline = if quick { building_since + ENGINE_WAIT } else { building_since };
                let now = Instant::now();
                if let Some(c) = slot.current.as_ref().filter(|_| now >= deadline) {
                    return Ok(c.engine.clone());
                }
                let wait = if slot.current.is_some() { deadline - now } else { Duration::from_secs(1) };
                slot = inner
                    .engine_built
                    .wait_timeout(slot, wait)
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .0;
            }
        })
        .await
        .map_err(|_| Error::Join)?
    }

    /// The cell where the report under `key` is being computed (shared by concurrent requests for
    /// the same report).
    pub(crate) fn computing(&self, key: &str) -> Computing {
        lock(&self.0.computing).entry(key.to_string()).or_default().clone()
    }

    /// The report under `key` is computed (or failed): later requests use the cache.
    pub(crate) fn computed(&self, key: &str) {
        lock(&self.0.computing).remove(key);
    }

    /// A rendered report from the cache, keyed by what determines its bytes.
    pub(crate) fn cached_report(&self, key: &str) -> Option<Arc<Vec<u8>>> {
        lock(&self.0.reports).get(key)
    }

    /// Keeps a rendered report.
    pub(crate) fn keep_report(&self, key: String, bytes: Arc<Vec<u8>>) {
        lock(&self.0.reports).put(key, bytes);
    }

    pub(crate) fn throttle(&self) -> MutexGuard<'_, Throttle> {
        lock(&self.0.throttle)
    }
}

/// The security headers of every response.
pub mod headers {
    /// The content security policy: nothing from outside; scripts only the hub's own files (no
    /// inline script), inline styles and SVG.
    pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; \
                           img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// The hub's own script making tables sortable.
    pub const SORT_JS: &str = include_str!("../assets/sort.js");
}

async fn security_headers(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(headers::CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
    res
}

async fn sort_js() -> axum::response::Response {
    use axum::response::IntoResponse as _;
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        headers::SORT_JS,
    )
        .into_response()
}

/// The application's router: pages, the JSON API and the security headers on every response.
pub fn router(state: AppState) -> Router {
    let pages = Router::new()
        .route("/", get(pages::home))
        .route("/assets/sort.js", get(sort_js))
        .route("/login", get(pages::login_form).post(pages::login))
        .route("/login/totp", get(pages::totp_form).post(pages::totp))
        .route("/logout", post(pages::logout))
        .route("/dashboard", get(pages::dashboard))
        .route("/submissions", get(pages::submissions))
        .route(
            "/submissions/upload",
            get(submit::upload_form).post(submit::upload).layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/submissions/{id}", get(pages::submission))
        .route("/submissions/{id}/status", post(submit::set_status))
        .route("/reports", get(pages::report_form).post(pages::report_run))
        .route("/maps", get(mapview::maps_page))
        .route("/releases", get(pages::releases).post(releases::create))
        .route("/releases/{id}", get(releases::review))
        .route("/releases/{id}/{op}", post(releases::act))
        .route("/releases/{id}/sdmx.csv", get(pages::release_download))
        .route("/eu", get(eu::page_handler))
        .route("/admin/audit", get(pages::audit))
        .route("/admin/users", get(admin::users).post(admin::user_create))
        .route("/admin/users/{id}/{op}", post(admin::user_status))
        .route("/admin/settings", get(admin::settings).post(admin::settings_save))
        .route("/admin/tokens", get(admin::tokens).post(admin::token_issue))
        .route("/admin/tokens/{short}/revoke", post(admin::token_revoke))
        .route("/providers", get(admin::providers))
        .route("/providers/{id}", get(catalog::provider_edit_form).post(catalog::provider_update))
        .route("/profiles", get(catalog::profiles))
        .route(
            "/profiles/new",
            get(catalog::profile_new_form)
                .post(catalog::profile_create)
                .layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route(
            "/profiles/{name}",
            get(catalog::profile_view)
                .post(catalog::profile_post)
                .layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/codelists", get(catalog::codelists))
        .route("/codelists/{id}", get(catalog::codelist))
        .route("/account/totp", get(admin::totp_enrol_form).post(admin::totp_enrol));
    let api = api::ROUTES.iter().fold(Router::new(), |r, route| r.route(route.path, (route.handler)()));
    pages
        .merge(api)
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn(security_headers))
        .with_state(state)
}

/// Serves the application on `config.bind` until the process ends.
///
/// # Errors
/// [`Error`] when the store cannot be opened or the address cannot be bound.
pub async fn serve(config: Config) -> Result<()> {
    let bind = config.bind;
    let state = AppState::open(config)?;
    let listener = tokio::net::TcpListener::bind(bind).await?;
    serve_on(listener, state).await
}

/// Serves the application on a bound listener (its address may be port 0's choice).
///
/// # Errors
/// [`Error`] when the listener fails.
pub async fn serve_on(listener: tokio::net::TcpListener, state: AppState) -> Result<()> {
    tracing::info!(address = %listener.local_addr()?, "serving");
    axum::serve(listener, router(state).into_make_service_with_connect_info::<SocketAddr>()).await?;
    Ok(())
}
