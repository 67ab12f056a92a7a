//! The `oberih` binary: serve, demo, migrate, users, organisation import, plan import and export,
//! verification of the audit log's seal.

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use secrecy::{ExposeSecret, SecretString};
use std::io::BufRead;
use std::net::SocketAddr;
use std::path::PathBuf;
use store::{Ctx, Db};
use web::Config;

#[derive(Parser)]
#[command(name = "oberih", version, about = "Oberih — counter-trafficking coordination")]
struct Cli {
    /// Configuration file (TOML). Environment variables OBERIH__SECTION__KEY override it.
    #[arg(long, global = true, env = "OBERIH_CONFIG")]
    config: Option<PathBuf>,
    /// For tests: act as if now were this instant (RFC 3339), instead of reading the clock.
    #[arg(long, global = true, hide = true)]
    now: Option<jiff::Timestamp>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server.
    Serve,
    /// Run a demonstration: a local SQLite database with Poltava oblast's data and one account per role.
    Demo {
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        #[arg(long, default_value = "oberih-demo.sqlite3")]
        db: PathBuf,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Manage user accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage organisations.
    #[command(subcommand)]
    Org(OrgCommand),
    /// Import or export a plan of measures (.xlsx or .docx, the plan's four columns).
    #[command(subcommand)]
    Plan(PlanCommand),
    /// The audit log's seal: verify its hash chain.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Fill the database with synthetic organisations and users for load tests.
    #[command(hide = true)]
    BenchSeed {
        #[arg(long, default_value_t = 10_000)]
        orgs: usize,
        #[arg(long, default_value_t = 100_000)]
        users: usize,
        /// Also add a plan of 40 measures × 20 executors with 10 half-years of reports.
        #[arg(long)]
        plan: bool,
        /// Also add this many synthetic cases (40 % in the demo officer's unit), with persons,
        /// forms of exploitation and, for about 30 %, a status procedure.
        #[arg(long, default_value_t = 0)]
        cases: usize,
        /// Also add assistance to the demo officer's open cases (assessments, services, stays).
        #[arg(long)]
        assistance: bool,
        /// With --assistance: this many granted statuses with a payment approved this year,
        /// entered in the unit's register.
        #[arg(long, default_value_t = 0)]
        payments: usize,
    },
    /// Compare sqlx's Any driver with the backend's native pool on the same queries (ADR 0002).
    #[command(hide = true)]
    BenchDriver {
        #[arg(long, default_value_t = 3)]
        rounds: usize,
        #[arg(long, default_value_t = 2000)]
        iterations: usize,
    },
    /// Add synthetic audit rows, then time a plain walk of the audit log, sealing it and verifying it.
    #[command(hide = true)]
    BenchAudit {
        #[arg(long, default_value_t = 100_000)]
        rows: usize,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a user. Without --password-stdin a temporary password is generated and printed once.
    Add {
        #[arg(long)]
        login: String,
        #[arg(long)]
        name: String,
        /// Organisation: short name, full name or id.
        #[arg(long)]
        org: String,
        /// Role (repeat for several): administrator, regional_coordinator, executor, case_officer, ...
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        #[arg(long)]
        email: Option<String>,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a user's password (temporary: to be changed at next sign-in, unless read from stdin).
    SetPassword {
        login: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Disable a user and end their sessions.
    Disable { login: String },
    /// Enable a disabled user.
    Enable { login: String },
    /// Replace a user's roles.
    Roles {
        login: String,
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Seal what is due, then walk the whole hash chain of the audit log. Prints
    /// the end of the chain as an anchor to write down; exits with 1 if anything
    /// is wrong.
    Verify {
        /// An anchor written down earlier, SEQ:HASH; repeat for more.
        #[arg(long = "anchor", value_name = "SEQ:HASH")]
        anchors: Vec<String>,
    },
}

#[derive(Subcommand)]
enum OrgCommand {
    /// Import organisations from a CSV file (columns: name, short_name, kind, territory, edrpou, by_consent, email, phone, address).
    Import {
        file: PathBuf,
        /// Territory (KATOTTG code or name) for rows without one.
        #[arg(long)]
        territory: Option<String>,
    },
}

#[derive(Subcommand)]
enum PlanCommand {
    /// Import a plan from an .xlsx or .docx file; nothing is written unless every row reads.
    Import {
        file: PathBuf,
        #[arg(long)]
        title: String,
        /// Territory: KATOTTG code, name or id.
        #[arg(long)]
        territory: String,
        /// Coordinating organisation: short name, full name or id.
        #[arg(long)]
        owner: String,
        /// Years of the plan, e.g. 2023-2025.
        #[arg(long)]
        years: String,
        #[arg(long)]
        act_number: Option<String>,
        /// Date of the approving act: 2023-09-04 or 04.09.2023.
        #[arg(long)]
        act_date: Option<String>,
    },
    /// Write a plan to FILE.xlsx or FILE.docx.
    Export { plan_id: i64, file: PathBuf },
}

fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("OBERIH_LOG").unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    // Logs go to stderr; colour codes only when a person watches it in a terminal.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_ansi(ansi)
        .with_writer(std::io::stderr)
        .init();
}

/// `--now`, when given (tests).
static NOW: std::sync::OnceLock<i64> = std::sync::OnceLock::new();

/// Now, as unix seconds: the clock, or the hidden `--now` of a test.
fn now() -> i64 {
    NOW.get()
        .copied()
        .unwrap_or_else(|| jiff::Timestamp::now().as_second())
}

async fn open(config: &Config) -> Result<Db> {
    let db = Db::connect(
        config.database.url.expose_secret(),
        config.database.max_connections,
    )
    .await
    .context("cannot connect to the database (check database.url)")?;
    db.migrate_at(now()).await.context("cannot apply migrations")?;
    Ok(db)
}

fn read_password_stdin() -> Result<String> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let p = line.trim_end_matches(['\r', '\n']).to_string();
    if p.is_empty() {
        bail!("no password on standard input");
    }
    Ok(p)
}

/// A readable temporary password: four groups of random letters and digits.
fn generate_password() -> String {
    use rand::Rng;
    const CHARS: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::thread_rng();
    (0..4)
        .map(|_| {
            (0..5)
                .map(|_| CHARS[rng.gen_range(0..CHARS.len())] as char)
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// A message id in words (the command line speaks English).
fn words(id: &str) -> String {
    match web::i18n::I18n::load() {
        Ok(i) => i.format(web::i18n::Lang::En, id, None),
        Err(_) => id.to_string(),
    }
}

fn show(e: domain::DomainError) -> anyhow::Error {
    match e {
        domain::DomainError::Validation(f) => {
            let list: Vec<String> = f.iter().map(|(k, v)| format!("{k}: {}", words(v))).collect();
            anyhow::anyhow!("invalid input — {}", list.join("; "))
        }
        other => anyhow::anyhow!("{other}"),
    }
}

async fn user_id(db: &Db, login: &str) -> Result<i64> {
    store::users::rows::find_by_login(db.raw_pool(), &login.trim().to_lowercase())
        .await
        .map_err(show)?
        .map(|u| u.id)
        .with_context(|| format!("no user with login {login}"))
}

async fn run_user(db: &Db, cmd: UserCommand) -> Result<()> {
    let ctx = Ctx::system(now());
    match cmd {
        UserCommand::Add {
            login,
            name,
            org,
            roles,
            email,
            password_stdin,
        } => {
            let org = match org.parse::<i64>() {
                Ok(id) => store::organisations::rows::get(db.raw_pool(), id)
                    .await
                    .map_err(show)?
                    .context("no such organisation")?,
                Err(_) => store::organisations::rows::find_by_any_name(db.raw_pool(), &org)
                    .await
                    .map_err(show)?
                    .with_context(|| format!("no organisation {org}"))?,
            };
            let (password, generated) = if password_stdin {
                (read_password_stdin()?, false)
            } else {
                (generate_password(), true)
            };
            let form = domain::user::UserForm {
                login,
                full_name: name,
                email: email.unwrap_or_default(),
                org_id: org.id.to_string(),
                roles,
                password: password.clone(),
            };
            let id = store::users::create_user(db, &ctx, &form, generated)
                .await
                .map_err(show)?;
            println!("created user {id} in {}", org.name);
            if generated {
                println!("temporary password (to be changed at first sign-in): {password}");
            }
        }
        UserCommand::SetPassword {
            login,
            password_stdin,
        } => {
            let id = user_id(db, &login).await?;
            let (password, generated) = if password_stdin {
                (read_password_stdin()?, false)
            } else {
                (generate_password(), true)
            };
            store::users::reset_password(db, &ctx, id, password.clone(), generated)
                .await
                .map_err(show)?;
            if generated {
                println!("temporary password (to be changed at next sign-in): {password}");
            } else {
                println!("password set");
            }
        }
        UserCommand::Disable { login } => {
            let id = user_id(db, &login).await?;
            store::users::set_user_disabled(db, &ctx, id, true)
                .await
                .map_err(show)?;
            println!("disabled {login}; sessions ended");
        }
        UserCommand::Enable { login } => {
            let id = user_id(db, &login).await?;
            store::users::set_user_disabled(db, &ctx, id, false)
                .await
                .map_err(show)?;
            println!("enabled {login}");
        }
        UserCommand::Roles { login, roles } => {
            let id = user_id(db, &login).await?;
            store::users::set_user_roles(db, &ctx, id, &roles)
                .await
                .map_err(show)?;
            println!("roles of {login}: {}", roles.join(", "));
        }
    }
    Ok(())
}

async fn run_audit(db: &Db, cmd: AuditCommand) -> Result<()> {
    match cmd {
        AuditCommand::Verify { anchors } => {
            let anchors = anchors
                .iter()
                .map(|a| a.parse().map_err(|e| anyhow::anyhow!("--anchor {a}: {e}")))
                .collect::<Result<Vec<domain::audit_chain::Anchor>>>()?;
            let v = store::audit::chain::verify_as(db, &Ctx::system(now()), &anchors)
                .await
                .map_err(show)?;
            println!(
                "{} chain entries checked, {} rows sealed now, {} waiting; {} anchor(s) compared",
                v.entries, v.sealed_now, v.waiting, v.anchors_checked
            );
            if let Some(a) = v.head.anchor() {
                println!("end of the chain (write it down): {a}");
            }
            for p in &v.problems {
                println!("problem: {p}");
            }
            if v.intact() {
                println!("the chain is intact");
                Ok(())
            } else {
                bail!("the audit log's seal is broken: {} problem(s)", v.problems_total)
            }
        }
    }
}

async fn run_org(db: &Db, cmd: OrgCommand) -> Result<()> {
    match cmd {
        OrgCommand::Import { file, territory } => {
            let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let tr = words;
            match store::organisations::import::import(db, &Ctx::system(now()), &bytes, territory.as_deref())
                .await
            {
                Ok(s) => {
                    println!(
                        "imported: {} created, {} updated, {} unchanged",
                        s.created, s.updated, s.unchanged
                    );
                    Ok(())
                }
                Err(store::organisations::import::ImportError::File(m)) => {
                    bail!("{}: {}", file.display(), tr(m))
                }
                Err(store::organisations::import::ImportError::Rows(problems)) => {
                    for p in &problems {
                        eprintln!(
                            "{}:{}: {}: {}",
                            file.display(),
                            p.line,
                            p.column,
                            tr(p.message_id)
                        );
                    }
                    bail!("{} problem(s); nothing was imported", problems.len())
                }
                Err(store::organisations::import::ImportError::Domain(e)) => Err(show(e)),
            }
        }
    }
}

fn plan_tr(lang: web::i18n::Lang) -> Result<web::i18n::Tr> {
    Ok(web::i18n::Tr::new(
        std::sync::Arc::new(web::i18n::I18n::load()?),
        lang,
    ))
}

async fn run_plan(db: &Db, cmd: PlanCommand) -> Result<()> {
    use store::plans::{ImportOutcome, ImportRequest};
    use web::handlers::plans as web_plans;
    match cmd {
        PlanCommand::Import {
            file,
            title,
            territory,
            owner,
            years,
            act_number,
            act_date,
        } => {
            let tr = plan_tr(web::i18n::Lang::En)?;
            let territory_id = match territory.trim().parse::<i64>() {
                Ok(id) => id,
                Err(_) => {
                    store::reference::territories::find(db.raw_pool(), &territory)
                        .await
                        .map_err(show)?
                        .with_context(|| format!("no territory {territory}"))?
                        .id
                }
            };
            let owner_id = match owner.trim().parse::<i64>() {
                Ok(id) => id,
                Err(_) => {
                    store::organisations::rows::find_by_any_name(db.raw_pool(), owner.trim())
                        .await
                        .map_err(show)?
                        .with_context(|| format!("no organisation {}", owner.trim()))?
                        .id
                }
            };
            let (year_from, year_to) = years
                .split_once(['-', '–'])
                .map(|(a, b)| (a.trim().to_string(), b.trim().to_string()))
                .unwrap_or_else(|| (years.trim().to_string(), years.trim().to_string()));
            let form = domain::plan::PlanForm {
                title,
                territory_id: territory_id.to_string(),
                owner_org_id: owner_id.to_string(),
                year_from,
                year_to,
                act_number: act_number.unwrap_or_default(),
                act_date: act_date.unwrap_or_default(),
            };
            let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let rows = match web_plans::read_rows(&name, &bytes).await {
                Ok(r) => r,
                Err(id) => bail!("{}: {}", file.display(), tr.t(id)),
            };
            let req = ImportRequest {
                form: &form,
                rows: &rows,
                mapping: &[],
            };
            match store::plans::import_plan(db, &Ctx::system(now()), req)
                .await
                .map_err(show)?
            {
                ImportOutcome::Imported {
                    plan_id,
                    goals,
                    measures,
                    links,
                } => {
                    println!(
                        "imported plan {plan_id}: {goals} goals, {measures} measures, {links} executor links"
                    );
                    Ok(())
                }
                ImportOutcome::Problems(problems) => {
                    for line in web_plans::problem_lines(&tr, &problems) {
                        eprintln!("{}: {line}", file.display());
                    }
                    bail!("{} problem(s); nothing was imported", problems.len())
                }
                ImportOutcome::Unmatched(names) => {
                    for (n, rows) in &names {
                        let rows: Vec<String> = rows.iter().map(|r| r.to_string()).collect();
                        eprintln!(
                            "{}: rows {}: executor «{n}» matches no organisation",
                            file.display(),
                            rows.join(", ")
                        );
                    }
                    bail!(
                        "{} executor name(s) match no organisation; nothing was imported (import it in the browser to map them)",
                        names.len()
                    )
                }
            }
        }
        PlanCommand::Export { plan_id, file } => {
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let kind = web_plans::kind_for_name(&name).context("the file name must end in .xlsx or .docx")?;
            let mut tx = db.begin_system().await.context("cannot read the plan")?;
            let tree = store::plans::rows::tree(&mut tx, plan_id)
                .await
                .map_err(show)?
                .with_context(|| format!("no plan {plan_id}"))?;
            tx.commit().await.context("cannot read the plan")?;
            let (bytes, _, _) = web_plans::plan_file(&tree, &plan_tr(web::i18n::Lang::Uk)?, kind)?;
            std::fs::write(&file, &bytes).with_context(|| format!("cannot write {}", file.display()))?;
            let format = if kind == web_plans::PlanFileKind::Xlsx {
                "xlsx"
            } else {
                "docx"
            };
            store::plans::note_plan_export(db, &Ctx::system(now()), plan_id, format)
                .await
                .map_err(show)?;
            println!("wrote plan {plan_id} to {}", file.display());
            Ok(())
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}

async fn serve(config: Config) -> Result<()> {
    let db = open(&config).await?;
    let listener = tokio::net::TcpListener::bind(config.server.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.server.listen))?;
    tracing::info!(address = %listener.local_addr()?, "serving");
    let state = web::state::AppState::new(db, config)?;
    web::serve(state, listener, shutdown_signal()).await?;
    Ok(())
}

async fn demo(mut config: Config, listen: SocketAddr, db_file: PathBuf) -> Result<()> {
    config.database.url = SecretString::from(format!("sqlite://{}", db_file.display()));
    config.server.listen = listen;
    // Plain HTTP on this machine only: cookies cannot be Secure here.
    config.server.cookie_secure = false;
    config.validate()?;
    let db = open(&config).await?;
    let accounts = seed::demo::load(&db, now()).await.map_err(show)?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let addr = listener.local_addr()?;
    println!();
    println!("Oberih demo is running: http://{addr}/");
    println!("Public pages (no sign-in): http://{addr}/help");
    println!("Database: {}", db_file.display());
    println!("Accounts (password for all: {}):", seed::demo::DEMO_PASSWORD);
    for a in &accounts {
        let roles: Vec<&str> = a.roles.iter().map(|r| r.as_str()).collect();
        println!("  {:<12} {:<32} {}", a.login, roles.join(", "), a.org);
    }
    let plan_id = seed::demo_plan::load(&db, jiff::Timestamp::now().as_second())
        .await
        .map_err(|e| anyhow::anyhow!("demo plan: {e}"))?;
    let [goals, tasks, measures, links] = store::plans::rows::counts(db.raw_pool(), plan_id)
        .await
        .map_err(|e| anyhow::anyhow!("demo plan: {e}"))?;
    println!(
        "Plan of measures (seed 002): http://{addr}/plans/{plan_id} — {goals} goals, {tasks} tasks, \
         {measures} measures, {links} executor links; reporting history in three half-years."
    );
    let (cases, procedures) = seed::demo_cases::counts(&db)
        .await
        .map_err(|e| anyhow::anyhow!("demo cases: {e}"))?;
    println!(
        "Cases (invented people): http://{addr}/cases as `officer` — {cases} cases across the four raions, \
         {procedures} status procedures in every state (steps overdue and at risk), a child's case, \
         a foreigner with an interpreter; partners `police`, `children`, `ngo`, `legal` see /referrals."
    );
    println!(
        "Assistance: http://{addr}/assistance as `officer` — needs, services in every state, shelter stays \
         near and past their limit, one-time payments and their register (/payments/register)."
    );
    println!("Stop with Ctrl+C.");
    println!();
    let state = web::state::AppState::new(db, config)?;
    web::serve(state, listener, shutdown_signal()).await?;
    Ok(())
}

#[tokio::main]
async fn main() -> Result<()> {
    let cli = Cli::parse();
    if let Some(t) = cli.now {
        let _ = NOW.set(t.as_second());
    }
    init_tracing();
    let config = Config::load(cli.config.as_deref())?;
    match cli.command {
        Command::Serve => serve(config).await,
        Command::Demo { listen, db } => demo(config, listen, db).await,
        Command::Migrate => {
            open(&config).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::User(cmd) => run_user(&open(&config).await?, cmd).await,
        Command::Org(cmd) => run_org(&open(&config).await?, cmd).await,
        Command::Audit(cmd) => run_audit(&open(&config).await?, cmd).await,
        Command::Plan(cmd) => run_plan(&open(&config).await?, cmd).await,
        Command::BenchSeed {
            orgs,
            users,
            plan,
            cases,
            assistance,
            payments,
        } => {
            let db = open(&config).await?;
            seed::bench::seed(&db, orgs, users).await?;
            if plan {
                seed::bench::seed_plan(&db).await?;
            }
            if cases > 0 {
                seed::bench::seed_cases(&db, cases).await?;
            }
            if assistance {
                seed::bench_assistance::seed_assistance(&db, payments).await?;
            }
            Ok(())
        }
        Command::BenchDriver { rounds, iterations } => {
            let db = open(&config).await?;
            let url = config.database.url.expose_secret().to_string();
            let t = seed::bench_driver::compare(&db, &url, rounds, iterations).await?;
            println!("| workload | tasks | driver | p50 µs | p99 µs | per s | native ÷ Any (per s) |");
            println!("| --- | ---: | --- | ---: | ---: | ---: | ---: |");
            for pair in t.chunks(2) {
                if let [any, native] = pair {
                    for r in [any, native] {
                        let ratio = if r.driver == "native" {
                            format!("{:.2}×", native.per_sec / any.per_sec)
                        } else {
                            String::new()
                        };
                        println!(
                            "| {} | {} | {} | {:.0} | {:.0} | {:.0} | {ratio} |",
                            r.workload, r.concurrency, r.driver, r.p50_us, r.p99_us, r.per_sec
                        );
                    }
                }
            }
            Ok(())
        }
        Command::BenchAudit { rows } => {
            let db = open(&config).await?;
            let t = seed::bench::audit_timing(&db, rows).await?;
            println!(
                "audit rows: {} (added {rows}); walk {:.0} ms; seal {:.0} ms ({} sealed, {:.2}× the walk); \
                 verify {:.0} ms ({} entries, {:.2}× the walk)",
                t.rows,
                t.walk_ms,
                t.seal_ms,
                t.sealed,
                t.seal_ms / t.walk_ms,
                t.verify_ms,
                t.entries,
                t.verify_ms / t.walk_ms
            );
            Ok(())
        }
    }
}
