//! Pragma text → name and arguments, and the typed directives built from them. Where a pragma
//! is attached (loop, function, array) is decided by the lowering, which knows the context.

use hlsseek_ir::{
    BindOpDirective, DependenceDirective, Dialect, InlineDirective, InterfaceDirective, LatencyDirective, Loc,
    PartitionDirective, PartitionType, PipelineDirective, StorageDirective, TileDirective, Toggle, TripcountDirective,
    UnrollDirective,
};

/// A parsed `#pragma` line (without the `#pragma` word).
#[derive(Clone, Debug)]
pub struct Pragma {
    pub dialect: Option<Dialect>,
    /// Upper-cased directive name; for other pragmas, the first word (e.g. `SCOP`, `OMP`).
    pub name: String,
    pub args: Vec<(String, Option<String>)>,
    pub text: String,
    pub loc: Loc,
}

/// What a pragma is, for attachment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// Governs the loop it is in (Vitis) or the loop that follows (Merlin).
    Loop,
    /// Governs the function it is in.
    Function,
    /// Governs the array named by `variable=`.
    Array,
    /// Governs the loop it is in, or the function when outside loops.
    LoopOrFunction,
    /// `ACCEL kernel`: the next function.
    NextFunction,
    /// Known, attached to nothing (`scop`, Merlin/Vitis directives hlsseek does not model).
    Ignored,
    Unknown,
}

pub fn parse(text: &str, loc: Loc) -> Pragma {
    let words = split_words(text);
    let mut it = words.into_iter().peekable();
    let first = it.next().unwrap_or_default();
    let dialect = match first.to_ascii_uppercase().as_str() {
        "HLS" => Some(Dialect::Hls),
        "ACCEL" => Some(Dialect::Accel),
        _ => None,
    };
    let name = if dialect.is_some() { it.next().unwrap_or_default() } else { first };
    let mut args: Vec<(String, Option<String>)> = Vec::new();
    while let Some(w) = it.next() {
        if w == "=" {
            continue;
        }
        if it.peek().is_some_and(|n| n == "=") {
            it.next();
            let mut v = it.next();
            // An expression value written with spaces (`max = a * b / (c * d)`) continues
            // while an operator joins its words.
            const OPERATORS: &[char] = &['*', '/', '+', '-', '%', '<', '>', '&', '|', '^'];
            while let (Some(cur), Some(next)) = (v.as_mut(), it.peek()) {
                if !(cur.ends_with(OPERATORS) || next.starts_with(OPERATORS)) {
                    break;
                }
                cur.push(' ');
                cur.push_str(next);
                it.next();
            }
            args.push((w.to_ascii_lowercase(), v));
        } else {
            args.push((w.to_ascii_lowercase(), None));
        }
    }
    Pragma { dialect, name: name.to_ascii_uppercase(), args, text: text.trim().to_string(), loc }
}

/// Words and `=` signs; a `{...}` or `(...)` group stays inside its word.
fn split_words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut depth = 0i32;
    for c in text.chars() {
        match c {
            '{' | '(' | '[' => {
                depth += 1;
                cur.push(c);
            }
            '}' | ')' | ']' => {
                depth -= 1;
                cur.push(c);
            }
            c if depth > 0 => cur.push(c),
            c if c.is_whitespace() || c == ',' => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            '=' => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                out.push("=".into());
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

impl Pragma {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.args.iter().find(|(k, _)| k == key).and_then(|(_, v)| v.as_deref())
    }

    pub fn has(&self, flag: &str) -> bool {
        self.args.iter().any(|(k, v)| k == flag && v.as_deref().is_none_or(|v| !v.eq_ignore_ascii_case("false")))
    }

    fn num<T: std::str::FromStr>(&self, key: &str) -> Option<T> {
        self.get(key).and_then(|v| v.trim().parse().ok())
    }

    /// This pragma with each argument that `eval` values as an integer constant expression
    /// replaced by its value, as Vitis evaluates them: what macros expanded to (`max=(1<<8)`
    /// from `max=N_NODES`) and arithmetic on named constants (`max=c_size_max * 2`). Other
    /// arguments (names, `auto{...}` knobs) are kept as written.
    pub fn with_constants(mut self, eval: impl Fn(&str) -> Option<i64>) -> Pragma {
        for (_, v) in &mut self.args {
            let Some(text) = v.as_deref() else { continue };
            if text.trim().parse::<i64>().is_ok() {
                continue;
            }
            if let Some(x) = eval(text) {
                *v = Some(x.to_string());
            }
        }
        self
    }

    pub fn class(&self) -> Class {
        match self.dialect {
            Some(Dialect::Hls) => match self.name.as_str() {
                "PIPELINE" | "DATAFLOW" | "LATENCY" | "BIND_OP" => Class::LoopOrFunction,
                "UNROLL" | "LOOP_FLATTEN" | "LOOP_TRIPCOUNT" | "DEPENDENCE" | "LOOP_MERGE" => Class::Loop,
                "INLINE" | "INTERFACE" | "TOP" | "ALLOCATION" | "EXPRESSION_BALANCE" | "OCCURRENCE" | "PROTOCOL"
                | "FUNCTION_INSTANTIATE" | "STABLE" | "PERFORMANCE" => Class::Function,
                "ARRAY_PARTITION" | "ARRAY_RESHAPE" | "BIND_STORAGE" | "RESOURCE" | "STREAM" | "AGGREGATE" | "DISAGGREGATE"
                | "DATA_PACK" | "RESET" | "STABLE_CONTENT" | "SHARED" | "ALIAS" | "CACHE" | "ARRAY_STENCIL" => Class::Array,
                _ => Class::Unknown,
            },
            Some(Dialect::Accel) => match self.name.as_str() {
                "PIPELINE" | "PARALLEL" | "TILE" | "LOOP_FLATTEN" | "LOOP_TILE" | "TILED_TAG" => Class::Loop,
                "KERNEL" => Class::NextFunction,
                "INTERFACE" | "FALSE_DEPENDENCE" | "CACHE" | "LINE_BUFFER" | "ARRAY_PARTITION" | "COALESCING" | "SKIP_SYNC"
                | "REDUCTION" | "ATTRIBUTE" | "INLINE" | "DATAFLOW" => Class::Ignored,
                _ => Class::Unknown,
            },
            None => match self.name.as_str() {
                "SCOP" | "ENDSCOP" | "ONCE" => Class::Ignored,
                _ => Class::Unknown,
            },
        }
    }

    pub fn pipeline(&self) -> PipelineDirective {
        let accel = self.dialect == Some(Dialect::Accel);
        PipelineDirective {
            ii: self.num("ii"),
            off: self.has("off"),
            rewind: self.has("rewind"),
            flatten: accel && self.has("flatten"),
            dialect: self.dialect.unwrap_or(Dialect::Hls),
            loc: self.loc,
        }
    }

    pub fn unroll(&self) -> UnrollDirective {
        let factor = self.num::<u32>("factor");
        let reductions = self.args.iter().filter(|(k, _)| k == "reduction").filter_map(|(_, v)| v.clone()).collect();
        UnrollDirective {
            // Merlin PARALLEL without FACTOR means full parallelisation, like a bare UNROLL.
            factor,
            off: self.has("off"),
            reductions,
            dialect: self.dialect.unwrap_or(Dialect::Hls),
            loc: self.loc,
        }
    }

    pub fn tile(&self) -> Option<TileDirective> {
        Some(TileDirective { factor: self.num("factor")?, loc: self.loc })
    }

    pub fn toggle(&self) -> Toggle {
        Toggle { off: self.has("off"), loc: self.loc }
    }

    pub fn tripcount(&self) -> TripcountDirective {
        TripcountDirective { min: self.num("min"), max: self.num("max"), avg: self.num("avg"), loc: self.loc }
    }

    pub fn dependence(&self) -> DependenceDirective {
        let ty = self.get("type").map(|s| s.to_ascii_lowercase());
        let bare = |w: &str| self.args.iter().any(|(k, v)| k == w && v.is_none());
        let class = self.get("class").map(str::to_ascii_lowercase).or_else(|| ["array", "pointer"].into_iter().find(|c| bare(c)).map(str::to_string));
        DependenceDirective {
            variable: self.get("variable").map(str::to_string),
            class,
            inter: !(ty.as_deref() == Some("intra") || bare("intra")),
            direction: self.get("direction").map(|s| s.to_ascii_uppercase()).or_else(|| ["raw", "war", "waw"].into_iter().find(|d| bare(d)).map(str::to_ascii_uppercase)),
            distance: self.num("distance"),
            // `dependent=true` or the older bare `true`; Vitis assumes false when neither is given.
            dependent: self.get("dependent").map_or(bare("true"), |v| v.eq_ignore_ascii_case("true")),
            loc: self.loc,
        }
    }

    pub fn latency(&self) -> LatencyDirective {
        LatencyDirective { min: self.num("min"), max: self.num("max"), loc: self.loc }
    }

    pub fn bind_op(&self) -> BindOpDirective {
        BindOpDirective {
            variable: self.get("variable").map(str::to_string),
            op: self.get("op").map(str::to_string),
            implementation: self.get("impl").map(str::to_string),
            latency: self.num("latency"),
            loc: self.loc,
        }
    }

    pub fn inline(&self) -> InlineDirective {
        InlineDirective { off: self.has("off"), recursive: self.has("recursive"), loc: self.loc }
    }

    pub fn interface(&self) -> InterfaceDirective {
        let mode = self
            .get("mode")
            .map(str::to_string)
            .or_else(|| self.args.iter().find(|(k, v)| v.is_none() && k != "register").map(|(k, _)| k.clone()))
            .unwrap_or_default();
        InterfaceDirective {
            mode,
            port: self.get("port").map(str::to_string),
            bundle: self.get("bundle").map(str::to_string),
            depth: self.num("depth"),
            loc: self.loc,
        }
    }

    /// ARRAY_PARTITION / ARRAY_RESHAPE; `None` when the type is missing or unknown.
    pub fn partition(&self) -> Option<PartitionDirective> {
        let kind = self
            .get("type")
            .and_then(PartitionType::parse)
            .or_else(|| self.args.iter().filter(|(_, v)| v.is_none()).find_map(|(k, _)| PartitionType::parse(k)))
            .unwrap_or(PartitionType::Complete);
        let factor = if kind == PartitionType::Complete { None } else { self.num("factor") };
        Some(PartitionDirective { kind, factor, dim: self.num("dim").unwrap_or(1), reshape: self.name == "ARRAY_RESHAPE", loc: self.loc })
    }

    pub fn storage(&self) -> StorageDirective {
        StorageDirective {
            storage_type: self.get("type").or_else(|| self.get("core")).map(str::to_string),
            implementation: self.get("impl").map(str::to_string),
            latency: self.num("latency"),
            loc: self.loc,
        }
    }

    /// The `variable=` an array pragma names (`a.b` fields reduced to the array).
    pub fn variable(&self) -> Option<String> {
        self.get("variable").or_else(|| self.get("port")).map(|v| v.split(['.', '[']).next().unwrap_or(v).to_string())
    }
}
