//! `hlsseek space`: list the knobs of a design space, or render one of its points.

use crate::input::{load_sources, parse_point};
use crate::output::{print_json, table};
use anyhow::{Context, Result};
use hlsseek_front::DesignSpace;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct SpaceArgs {
    /// Source files of the design space (pragma values written as `auto{__NAME__}`).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    #[arg(long)]
    pub top: String,
    /// Render this point: JSON (`{"__PARA__L0":4}`), `@point.json` or `NAME=VALUE,...`.
    #[arg(long)]
    pub render: Option<String>,
    /// With --render: write the rendered files into DIR (same file names) instead of stdout.
    #[arg(long, requires = "render")]
    pub out: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: SpaceArgs) -> Result<u8> {
    let (files, opts) = load_sources(&args.files)?;
    let space = DesignSpace::new(files, &args.top, &opts)?;
    if let Some(spec) = &args.render {
        let point = parse_point(spec)?;
        let rendered = space.render(&point)?;
        match &args.out {
            Some(dir) => {
                std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
                for (f, path) in rendered.iter().zip(&args.files) {
                    let name = path.file_name().context("source path has no file name")?;
                    let dest = dir.join(name);
                    std::fs::write(&dest, &f.text).with_context(|| format!("cannot write {}", dest.display()))?;
                    eprintln!("wrote {}", dest.display());
                }
            }
            None if args.json => print_json(&rendered)?,
            None => {
                for f in &rendered {
                    if rendered.len() > 1 {
                        println!("// ---- {}", f.name);
                    }
                    print!("{}", f.text);
                }
            }
        }
        return Ok(0);
    }
    if args.json {
        print_json(&space.knobs)?;
        return Ok(0);
    }
    if space.knobs.is_empty() {
        println!("no knobs: the sources have no `auto{{...}}` pragma placeholders");
        return Ok(0);
    }
    let size: f64 = space.knobs.iter().map(|k| k.values.len() as f64).product();
    println!("{} knobs, {size:.0} points", space.knobs.len());
    let mut t = table(["knob", "kind", "loop", "line", "values"]);
    for k in &space.knobs {
        let values: Vec<String> = k
            .values
            .iter()
            .map(|v| match v {
                hlsseek_ir::KnobValue::Text(s) if s.is_empty() => "\"\"".to_string(),
                v => v.to_string(),
            })
            .collect();
        t.add_row([
            k.name.clone(),
            format!("{:?}", k.kind).to_lowercase(),
            k.loop_id.map_or("-".to_string(), |l| format!("L{}", l.0)),
            k.loc.line.to_string(),
            values.join(" "),
        ]);
    }
    println!("{t}");
    Ok(0)
}
