//! Scalar data types as the hardware sees them: integer and fixed-point by bit width, IEEE floats.

use serde::{Deserialize, Serialize};

/// The type of a value or array element. Templates and typedefs are resolved by the front-end;
/// `hls::stream<T>` is an array kind ([`crate::ArrayKind::Stream`]) whose element is `T`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum ScalarType {
    Void,
    Bool,
    Int { bits: u16, signed: bool },
    /// `ap_fixed<bits, int_bits>` / `ap_ufixed`.
    Fixed { bits: u16, int_bits: i16, signed: bool },
    Half,
    Float,
    Double,
}

/// The operator family a type selects in a device profile.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TypeClass {
    /// Integers, fixed point and booleans: cost scales with bit width.
    Int,
    Half,
    Float,
    Double,
}

impl ScalarType {
    pub const I32: ScalarType = ScalarType::Int { bits: 32, signed: true };

    /// Width in bits (0 for `void`).
    pub fn bits(&self) -> u32 {
        match *self {
            ScalarType::Void => 0,
            ScalarType::Bool => 1,
            ScalarType::Int { bits, .. } | ScalarType::Fixed { bits, .. } => bits as u32,
            ScalarType::Half => 16,
            ScalarType::Float => 32,
            ScalarType::Double => 64,
        }
    }

    pub fn class(&self) -> TypeClass {
        match self {
            ScalarType::Half => TypeClass::Half,
            ScalarType::Float => TypeClass::Float,
            ScalarType::Double => TypeClass::Double,
            _ => TypeClass::Int,
        }
    }

    pub fn is_float(&self) -> bool {
        matches!(self, ScalarType::Half | ScalarType::Float | ScalarType::Double)
    }
}

impl std::fmt::Display for ScalarType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            ScalarType::Void => write!(f, "void"),
            ScalarType::Bool => write!(f, "bool"),
            ScalarType::Int { bits, signed: true } => write!(f, "i{bits}"),
            ScalarType::Int { bits, signed: false } => write!(f, "u{bits}"),
            ScalarType::Fixed { bits, int_bits, signed } => {
                write!(f, "{}fixed<{bits},{int_bits}>", if signed { "" } else { "u" })
            }
            ScalarType::Half => write!(f, "half"),
            ScalarType::Float => write!(f, "float"),
            ScalarType::Double => write!(f, "double"),
        }
    }
}
