//! `mosy serve`, `mosy user add`, `mosy audit verify`, and the EU hub's `mosy hub add` and
//! `mosy eu …`: the web application's commands.

use std::io::{BufRead as _, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use auth::{PasswordHashing, Role, SystemRng};

/// Options of `mosy serve`.
pub(crate) struct ServeArgs {
    pub(crate) bind: SocketAddr,
    pub(crate) demo: bool,
    pub(crate) level: server::Level,
    pub(crate) data_dir: PathBuf,
    pub(crate) database_url: Option<String>,
}

fn location(data_dir: &Path, database_url: Option<&str>) -> String {
    database_url.map_or_else(|| data_dir.join("mosy.sqlite").display().to_string(), str::to_string)
}

/// Runs the web application (after creating the demo hub and its users with `--demo`).
pub(crate) fn serve(out: &mut impl Write, args: ServeArgs) -> Result<ExitCode> {
    let database = location(&args.data_dir, args.database_url.as_deref());
    let config =
        server::Config { bind: args.bind, level: args.level, ..server::Config::new(database.clone()) };
    if args.demo {
        app::demo::run(&app::demo::DemoOptions {
            data_dir: args.data_dir.clone(),
            database_url: args.database_url.clone(),
            seed: 42,
            victims: 50_000,
            first_year: 2019,
            last_year: 2025,
        })
        .context("demo hub")?;
        let mut store = store::Store::open(&database).context("open hub")?;
        let users = server::accounts::demo_users(&mut store, &config.hashing, &mut SystemRng)
            .map_err(|e| anyhow::anyhow!("demo users: {e}"))?;
        writeln!(out, "demo users (passwords shown once):")?;
        for u in &users {
            writeln!(out, "  {:<24} {:<28} {}", u.id, u.role.to_string(), u.password)?;
        }
    }
    let level = if args.level == server::Level::Eu { " (EU hub)" } else { "" };
    writeln!(out, "mosy serving on http://{}/{level}", args.bind)?;
    out.flush()?;
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().context("runtime")?;
    rt.block_on(server::serve(config)).context("server")?;
    Ok(ExitCode::SUCCESS)
}

/// `mosy user add ID --role ROLE [--provider P]`: the password from stdin, or generated and printed.
pub(crate) fn user_add(
    out: &mut impl Write,
    id: &str,
    role: &str,
    provider: Option<&str>,
    hub: &crate::HubArgs,
) -> Result<ExitCode> {
    let role = Role::from_code(role, provider)
        .map_err(|e| anyhow::anyhow!("{e} (roles: {})", Role::CODES.join(", ")))?;
    let mut line = String::new();
    if !std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        std::io::stdin().lock().read_line(&mut line).context("read password from stdin")?;
    }
    let given = line.trim_end_matches(['\r', '\n']).to_string();
    let generated = given.is_empty();
    let password = if generated { server::accounts::generate_password(&mut SystemRng)? } else { given };
    let mut store = crate::open_store(&hub.data_dir, hub.database_url.as_deref())?;
    let hashing = PasswordHashing::new(auth::HashParams::RECOMMENDED).map_err(|e| anyhow::anyhow!("{e}"))?;
    server::accounts::add_user(&mut store, &hashing, &mut SystemRng, id, &role, &password)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let record = server::audit_log::record(
        "system",
        "user.add",
        &format!("user:{id}"),
        None,
        auth::Outcome::Success,
        &role.to_string(),
    );
    server::audit_log::append(&mut store, record)?;
    if generated {
        writeln!(out, "added {id} ({role}); password (shown once): {password}")?;
    } else {
        writeln!(out, "added {id} ({role})")?;
    }
    Ok(ExitCode::SUCCESS)
}

fn audit_system(store: &mut store::Store, action: &str, object: &str, detail: &str) -> Result<()> {
    let record = server::audit_log::record("system", action, object, None, auth::Outcome::Success, detail);
    server::audit_log::append(store, record)?;
    Ok(())
}

/// `mosy token issue ID --label L [--days D]`: prints the token once.
pub(crate) fn token_issue(
    out: &mut impl Write,
    id: &str,
    label: &str,
    days: i64,
    hub: &crate::HubArgs,
) -> Result<ExitCode> {
    let mut store = crate::open_store(&hub.data_dir, hub.database_url.as_deref())?;
    let issued =
        server::accounts::issue_token(&mut store, id, label, days, chrono::Utc::now(), &mut SystemRng)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    let detail = format!("token={} expires={}", issued.short, &issued.expires_at[..10]);
    audit_system(&mut store, "token.issue", &format!("user:{id}"), &detail)?;
    writeln!(out, "token {} for {id}, valid until {} (shown once):", issued.short, &issued.expires_at[..10])?;
    writeln!(out, "{}", issued.secret)?;
    Ok(ExitCode::SUCCESS)
}

/// `mosy token list`.
pub(crate) fn token_list(out: &mut impl Write, hub: &crate::HubArgs) -> Result<ExitCode> {
    let mut store = crate::open_store(&hub.data_dir, hub.database_url.as_deref())?;
    writeln!(out, "id\taccount\tlabel\tissued\texpires")?;
    for t in store.api_tokens()? {
        let day = |s: &str| s.chars().take(10).collect::<String>();
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}",
            &t.token_hash[..8.min(t.token_hash.len())],
            t.account_id,
            t.label,
            day(&t.created_at),
            day(&t.expires_at)
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `mosy token revoke ID`.
pub(crate) fn token_revoke(out: &mut impl Write, id: &str, hub: &crate::HubArgs) -> Result<ExitCode> {
    let mut store = crate::open_store(&hub.data_dir, hub.database_url.as_deref())?;
    let wanted = id.to_ascii_lowercase();
    let found: Vec<store::ApiTokenRow> = store
        .api_tokens()?
        .into_iter()
        .filter(|t| wanted.len() == 8 && t.token_hash.starts_with(&wanted))
        .collect();
    let [one] = found.as_slice() else {
        anyhow::bail!("no token with id {id} (ids are the 8 hex digits `mosy token list` shows)");
    };
    store.revoke_api_token(&one.token_hash)?;
    audit_system(
        &mut store,
        "token.revoke",
        &format!("user:{}", one.account_id),
        &format!("token={wanted}"),
    )?;
    writeln!(out, "revoked token {wanted} of {}", one.account_id)?;
    Ok(ExitCode::SUCCESS)
}

/// `mosy audit verify`: exit 1 and the first broken event when the chain is broken.
pub(crate) fn audit_verify(out: &mut impl Write, hub: &crate::HubArgs) -> Result<ExitCode> {
    let mut store = crate::open_store(&hub.data_dir, hub.database_url.as_deref())?;
    let checked = server::audit_log::check(&mut store)?;
    match checked.verdict {
        Ok(()) => {
            writeln!(out, "audit chain intact: {} events", checked.rows.len())?;
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            writeln!(out, "audit chain BROKEN at event {}: {e}", server::audit_log::broken_seq(&e))?;
            Ok(ExitCode::from(1))
        }
    }
}

/// `mosy hub add CC --name NAME` (at an EU hub): registers a national hub and prints its token once.
pub(crate) fn hub_add(
    out: &mut impl Write,
    country: &str,
    name: &str,
    hub: &crate::HubArgs,
) -> Result<ExitCode> {
    let mut store = crate::open_store(&hub.data_dir, hub.database_url.as_deref())?;
    let token =
        server::eu::add_hub(&mut store, country, name, &mut SystemRng).map_err(|e| anyhow::anyhow!("{e}"))?;
    let country = country.trim().to_ascii_uppercase();
    let record = server::audit_log::record(
        "system",
        "eu.hub.add",
        &format!("hub:{country}"),
        None,
        auth::Outcome::Success,
        "",
    );
    server::audit_log::append(&mut store, record)?;
    writeln!(out, "registered the national hub of {country}; its hub token (shown once):")?;
    writeln!(out, "{token}")?;
    Ok(ExitCode::SUCCESS)
}

/// `mosy eu import` and `mosy eu totals` (at an EU hub).
pub(crate) fn eu(out: &mut impl Write, command: crate::EuCommand) -> Result<ExitCode> {
    match command {
        crate::EuCommand::Import { file, country, period, release, hub } => {
            let text =
                std::fs::read_to_string(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let period = match period {
                Some(p) => p,
                None => app::eu::period_of(&text).context("the file has no TIME_PERIOD: give --period")?,
            };
            let release = release.unwrap_or_else(|| {
                file.file_stem().map_or_else(|| "file".to_string(), |s| s.to_string_lossy().into_owned())
            });
            let country = country.trim().to_ascii_uppercase();
            let mut store = crate::open_store(&hub.data_dir, hub.database_url.as_deref())?;
            let base = file.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            let by = format!("file:{base}");
            let receipt =
                app::eu::receive(&mut store, &country, &period, &release, &text, &by, chrono::Utc::now())?;
            let (outcome, detail) = match &receipt {
                app::eu::Receipt::Stored { revision, observations, withheld } => (
                    auth::Outcome::Success,
                    format!("revision={revision} observations={observations} withheld={withheld}"),
                ),
                app::eu::Receipt::Refused { count, .. } => {
                    (auth::Outcome::Failure, format!("problems={count}"))
                }
            };
            let record = server::audit_log::record(
                "system",
                "eu.receive",
                &format!("eu-release:{country}:{period}"),
                None,
                outcome,
                &detail,
            );
            server::audit_log::append(&mut store, record)?;
            match receipt {
                app::eu::Receipt::Stored { revision, observations, withheld } => {
                    writeln!(
                        out,
                        "stored release {release} of {country} for {period} as revision {revision}: {observations} observations, {withheld} withheld"
                    )?;
                }
                app::eu::Receipt::Refused { problems, count } => {
                    writeln!(out, "refused: {count} problem(s); nothing was stored")?;
                    for p in problems {
                        writeln!(out, "  {p}")?;
                    }
                    return Ok(ExitCode::from(2));
                }
            }
        }
        crate::EuCommand::Totals { period, indicator, hub } => {
            let mut store = crate::open_store(&hub.data_dir, hub.database_url.as_deref())?;
            let totals = app::eu::totals(&mut store, &period, indicator.as_deref())?;
            writeln!(out, "EU totals {} (countries: {})", totals.period, totals.countries.join(", "))?;
            for r in &totals.rows {
                let values: Vec<String> = r
                    .countries
                    .iter()
                    .map(|c| match c.value {
                        Some(v) => format!("{}={v}", c.country),
                        None => format!("{}=withheld({})", c.country, c.conf_status),
                    })
                    .collect();
                let mut line = format!(
                    "{:<6} {:<60} total {:>7}  [{}]",
                    r.indicator,
                    r.series_key,
                    r.total,
                    values.join(" ")
                );
                if !r.withheld.is_empty() {
                    line.push_str(&format!(" withheld: {}", r.withheld.join(",")));
                }
                if !r.missing.is_empty() {
                    line.push_str(&format!(" missing: {}", r.missing.join(",")));
                }
                writeln!(out, "{line}")?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
