//! C/C++/HLS type names → [`ScalarType`] (typedefs, `using`, structs, `ap_*`, `hls::stream`), and
//! declarators → name, dimensions and pointer-ness.

use crate::syntax::NodeExt;
use super::consts::eval_const;
use super::{Globals, StructInfo};
use std::collections::HashMap;
use hlsseek_ir::ScalarType;
use tree_sitter::Node;

/// A resolved declaration type.
#[derive(Clone, Debug, PartialEq)]
pub struct TyInfo {
    pub scalar: ScalarType,
    /// An arbitrary-precision vendor type (`ap_int<N>`...): arithmetic keeps its width.
    pub ap: bool,
    pub stream: bool,
    /// `hls::stream<T, depth>`.
    pub stream_depth: Option<u32>,
    /// Array extents from a typedef'd array type or the declarator, outermost first.
    pub dims: Vec<Option<u64>>,
    pub struct_name: Option<String>,
    /// False when the name was not recognised (defaulted to 32-bit int).
    pub known: bool,
    pub is_static: bool,
    pub is_const: bool,
}

impl TyInfo {
    pub fn scalar(scalar: ScalarType) -> Self {
        TyInfo { scalar, ap: false, stream: false, stream_depth: None, dims: Vec::new(), struct_name: None, known: true, is_static: false, is_const: false }
    }

    fn ap(scalar: ScalarType) -> Self {
        TyInfo { ap: true, ..TyInfo::scalar(scalar) }
    }

    fn unknown() -> Self {
        TyInfo { known: false, ..TyInfo::scalar(ScalarType::I32) }
    }
}

pub fn int(bits: u16, signed: bool) -> ScalarType {
    ScalarType::Int { bits, signed }
}

/// Built-in type names (standard C, `<stdint.h>`, Vitis `half`).
pub fn builtin(name: &str) -> Option<ScalarType> {
    Some(match name {
        "void" => ScalarType::Void,
        "bool" | "_Bool" => ScalarType::Bool,
        "char" | "signed char" | "int8_t" | "int_least8_t" | "int_fast8_t" => int(8, true),
        "unsigned char" | "uint8_t" | "uchar" | "u8" | "byte" | "uint_least8_t" | "uint_fast8_t" => int(8, false),
        "short" | "short int" | "signed short" | "int16_t" | "int_least16_t" => int(16, true),
        "unsigned short" | "unsigned short int" | "uint16_t" | "ushort" | "u16" => int(16, false),
        "int" | "signed" | "signed int" | "int32_t" | "int_least32_t" | "int_fast32_t" | "wchar_t" => int(32, true),
        "unsigned" | "unsigned int" | "uint32_t" | "uint" | "u32" | "uint_fast32_t" => int(32, false),
        "long" | "long int" | "long long" | "long long int" | "signed long" | "int64_t" | "ssize_t" | "ptrdiff_t"
        | "intptr_t" | "intmax_t" => int(64, true),
        "unsigned long" | "unsigned long int" | "unsigned long long" | "unsigned long long int" | "uint64_t"
        | "size_t" | "uintptr_t" | "uintmax_t" | "u64" => int(64, false),
        "float" | "float32_t" => ScalarType::Float,
        "double" | "long double" | "float64_t" => ScalarType::Double,
        "half" | "_Float16" | "__fp16" => ScalarType::Half,
        "auto" => int(32, true),
        _ => return None,
    })
}

impl Globals {
    /// Resolve a type node (the `type` field of a declaration).
    pub fn resolve_type(&self, n: Node, src: &str) -> TyInfo {
        self.resolve_type_depth(n, src, 0)
    }

    fn resolve_type_depth(&self, n: Node, src: &str, depth: u32) -> TyInfo {
        if depth > 32 {
            return TyInfo::unknown();
        }
        let text = &src[n.byte_range()];
        match n.kind() {
            "primitive_type" => builtin(text).map(TyInfo::scalar).unwrap_or_else(TyInfo::unknown),
            "sized_type_specifier" => {
                let words: Vec<&str> = text.split_whitespace().collect();
                let unsigned = words.contains(&"unsigned");
                let longs = words.iter().filter(|w| **w == "long").count();
                let bits = if words.contains(&"short") {
                    16
                } else if words.contains(&"char") {
                    8
                } else if longs > 0 {
                    if words.contains(&"double") {
                        return TyInfo::scalar(ScalarType::Double);
                    }
                    64
                } else {
                    32
                };
                TyInfo::scalar(int(bits, !unsigned))
            }
            "type_identifier" | "identifier" => self.named_type(text),
            "qualified_identifier" => match n.field("name") {
                Some(inner) => self.resolve_type_depth(inner, src, depth + 1),
                None => TyInfo::unknown(),
            },
            "template_type" | "template_function" => self.template_type(n, src, depth),
            "struct_specifier" | "class_specifier" | "union_specifier" => {
                if let Some(body) = n.field("body") {
                    let bits = self.struct_info(body, src).bits;
                    let name = n.field("name").map(|x| src[x.byte_range()].to_string());
                    TyInfo { struct_name: name, ..TyInfo::scalar(int(bits.clamp(1, u16::MAX as u64) as u16, false)) }
                } else if let Some(name) = n.field("name") {
                    self.named_type(&src[name.byte_range()])
                } else {
                    TyInfo::unknown()
                }
            }
            "enum_specifier" => TyInfo::scalar(int(32, true)),
            "type_descriptor" => {
                let mut t = n.field("type").map_or_else(TyInfo::unknown, |x| self.resolve_type_depth(x, src, depth + 1));
                if let Some(d) = n.field("declarator") {
                    if d.kind().contains("pointer") {
                        t.dims.insert(0, None);
                    }
                }
                t
            }
            "placeholder_type_specifier" | "auto" | "decltype" => TyInfo::scalar(int(32, true)),
            _ => TyInfo::unknown(),
        }
    }

    fn named_type(&self, name: &str) -> TyInfo {
        let name = name.rsplit("::").next().unwrap_or(name);
        if let Some(t) = self.typedefs.get(name) {
            return t.clone();
        }
        if let Some(s) = builtin(name) {
            return TyInfo::scalar(s);
        }
        if let Some(bits) = self.structs.get(name).map(|s| s.bits) {
            return TyInfo { struct_name: Some(name.to_string()), ..TyInfo::scalar(int(bits.clamp(1, u16::MAX as u64) as u16, false)) };
        }
        TyInfo::unknown()
    }

    fn template_type(&self, n: Node, src: &str, depth: u32) -> TyInfo {
        let name = n.field("name").map_or("", |x| &src[x.byte_range()]);
        let name = name.rsplit("::").next().unwrap_or(name);
        let mut args: Vec<Node> = Vec::new();
        if let Some(al) = n.field("arguments") {
            let mut c = al.walk();
            args.extend(al.named_children(&mut c));
        }
        let num = |i: usize| -> Option<i64> { args.get(i).and_then(|a| eval_const(*a, src, self, &Default::default())) };
        let width = |i: usize, default: i64| -> u16 { num(i).unwrap_or(default).clamp(1, 4096) as u16 };
        match name {
            "ap_int" | "ap_int_base" => TyInfo::ap(int(width(0, 32), true)),
            "ap_uint" => TyInfo::ap(int(width(0, 32), false)),
            "ap_fixed" | "ap_ufixed" => {
                let bits = width(0, 32);
                let ib = num(1).unwrap_or(bits as i64 / 2).clamp(-4096, 4096) as i16;
                TyInfo::ap(ScalarType::Fixed { bits, int_bits: ib, signed: name == "ap_fixed" })
            }
            "stream" => {
                let mut t = args.first().map_or_else(TyInfo::unknown, |a| self.resolve_type_depth(*a, src, depth + 1));
                t.stream = true;
                t.stream_depth = num(1).and_then(|d| u32::try_from(d).ok());
                t
            }
            "ap_axis" | "ap_axiu" | "axis" | "qdma_axis" => {
                let d = width(0, 32);
                TyInfo { struct_name: Some(name.to_string()), ..TyInfo::ap(int(d.saturating_add(8), name != "ap_axis")) }
            }
            "complex" => {
                let mut t = args.first().map_or_else(TyInfo::unknown, |a| self.resolve_type_depth(*a, src, depth + 1));
                if let ScalarType::Int { bits, signed } = t.scalar {
                    t.scalar = int(bits.saturating_mul(2), signed);
                }
                t
            }
            "array" => {
                let mut t = args.first().map_or_else(TyInfo::unknown, |a| self.resolve_type_depth(*a, src, depth + 1));
                t.dims.push(num(1).map(|v| v.max(0) as u64));
                t
            }
            _ => TyInfo::unknown(),
        }
    }

    /// A struct's fields (name → element type and extents, outermost first, `None` where an
    /// extent is not a constant) and its summed width (arrays multiplied out).
    pub fn struct_info(&self, body: Node, src: &str) -> StructInfo {
        let mut fields = HashMap::new();
        let mut bits = 0u64;
        let mut c = body.walk();
        for f in body.named_children(&mut c) {
            if f.kind() != "field_declaration" {
                continue;
            }
            let Some(tn) = f.field("type") else { continue };
            let base = self.resolve_type(tn, src);
            for d in f.fields("declarator") {
                let decl = unwrap_declarator(d, src);
                if decl.is_function {
                    continue;
                }
                let dims: Vec<Option<u64>> = decl
                    .dims
                    .iter()
                    .map(|d| d.and_then(|x| eval_const(x, src, self, &Default::default())).map(|v| v.max(0) as u64))
                    .chain(base.dims.iter().copied())
                    .collect();
                let count: u64 = dims.iter().map(|d| d.unwrap_or(1)).product();
                bits += base.scalar.bits() as u64 * count;
                if let Some(name) = decl.name {
                    fields.insert(name, (base.scalar, dims));
                }
            }
        }
        StructInfo { bits: bits.max(1), fields }
    }
}

/// What a declarator says about one declared name.
pub struct Declarator<'t> {
    pub name: Option<String>,
    pub name_node: Option<Node<'t>>,
    /// Extent expressions, outermost first (`None` for `[]`).
    pub dims: Vec<Option<Node<'t>>>,
    pub pointers: u32,
    pub is_ref: bool,
    pub is_function: bool,
    pub init: Option<Node<'t>>,
}

pub fn unwrap_declarator<'t>(n: Node<'t>, src: &str) -> Declarator<'t> {
    let mut d = Declarator { name: None, name_node: None, dims: Vec::new(), pointers: 0, is_ref: false, is_function: false, init: None };
    let mut cur = Some(n);
    let mut guard = 0;
    // Dimensions are found outside-in; collect and reverse.
    let mut dims_rev = Vec::new();
    while let Some(x) = cur {
        guard += 1;
        if guard > 256 {
            break;
        }
        cur = match x.kind() {
            "identifier" | "field_identifier" | "type_identifier" | "qualified_identifier" | "operator_name"
            | "destructor_name" => {
                d.name = Some(src[x.byte_range()].to_string());
                d.name_node = Some(x);
                None
            }
            "init_declarator" => {
                d.init = x.field("value");
                x.field("declarator")
            }
            "array_declarator" => {
                dims_rev.push(x.field("size"));
                x.field("declarator")
            }
            "pointer_declarator" => {
                d.pointers += 1;
                x.field("declarator")
            }
            "reference_declarator" => {
                d.is_ref = true;
                let mut c = x.walk();
                let inner = x.named_children(&mut c).next();
                inner
            }
            "parenthesized_declarator" => {
                let mut c = x.walk();
                let inner = x.named_children(&mut c).next();
                inner
            }
            "function_declarator" => {
                d.is_function = true;
                x.field("declarator")
            }
            "attributed_declarator" => {
                let mut c = x.walk();
                let inner = x.named_children(&mut c).next();
                inner
            }
            _ => None,
        };
    }
    dims_rev.reverse();
    d.dims = dims_rev;
    d
}
