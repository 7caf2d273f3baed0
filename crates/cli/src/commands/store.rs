//! `hlsseek store`: counts, hit rate and JSONL export of the QoR result store.

use crate::output::{print_json, table};
use anyhow::{Context, Result};
use hlsseek_store::{default_location, open, ResultStore, StoreLocation};
use std::path::PathBuf;

#[derive(clap::Subcommand)]
pub enum StoreCommand {
    /// Results per backend, failures, lookups and hit rate.
    Stats {
        /// Store: `sqlite:///path/results.db` or a path (default: $HLSSEEK_STORE, else the
        /// per-user data directory).
        #[arg(long)]
        store: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Every stored result as one JSON object per line (stdout, or --out FILE).
    Export {
        #[arg(long)]
        store: Option<String>,
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

fn open_store(url: Option<&str>) -> Result<Box<dyn ResultStore>> {
    let loc = match url {
        Some(u) => StoreLocation::parse(u)?,
        None => default_location()?,
    };
    Ok(open(&loc)?)
}

pub fn run(cmd: StoreCommand) -> Result<u8> {
    match cmd {
        StoreCommand::Stats { store, json } => {
            let s = open_store(store.as_deref())?.stats()?;
            if json {
                print_json(&s)?;
                return Ok(0);
            }
            println!("{} (schema v{}): {} results", s.location, s.schema_version, s.results);
            let rate = s.hit_rate.map_or_else(|| "-".to_string(), |r| format!("{:.1}%", r * 100.0));
            println!("lookups: {} hits, {} misses, hit rate {rate}", s.hits, s.misses);
            if !s.backends.is_empty() {
                let mut t = table(["backend", "versions", "results", "ok", "failed", "hits", "misses"]);
                for b in &s.backends {
                    t.add_row([
                        b.backend.clone(),
                        b.versions.join(", "),
                        b.results.to_string(),
                        b.ok.to_string(),
                        b.failed.to_string(),
                        b.hits.to_string(),
                        b.misses.to_string(),
                    ]);
                }
                println!("{t}");
            }
            Ok(0)
        }
        StoreCommand::Export { store, out } => {
            let s = open_store(store.as_deref())?;
            let n = match out {
                Some(path) => {
                    let f = std::fs::File::create(&path).with_context(|| format!("cannot create {}", path.display()))?;
                    let mut w = std::io::BufWriter::new(f);
                    s.export(&mut w)?
                }
                None => {
                    let stdout = std::io::stdout();
                    let mut w = std::io::BufWriter::new(stdout.lock());
                    s.export(&mut w)?
                }
            };
            eprintln!("exported {n} results from {}", s.location());
            Ok(0)
        }
    }
}
