//! The YAML files as written: serde structs that reject unknown keys.
//! `model.rs` turns them into the checked model.

use serde::{Deserialize, Deserializer};
use serde_yaml::Value;

/// `idl/<module>.yaml`: the file that has a `module:` key.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawModule {
    pub module: String,
    pub doc: String,
    #[serde(default)]
    pub errors: Vec<RawError>,
    #[serde(default)]
    pub enums: Vec<RawEnum>,
    #[serde(default)]
    pub value_classes: Vec<RawValueClass>,
    #[serde(default)]
    pub constants: Vec<RawConstant>,
    #[serde(default)]
    pub functions: Vec<RawMethod>,
}

/// `idl/<class>.yaml`: the files that have a `class:` key.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClass {
    pub class: String,
    pub doc: String,
    #[serde(default)]
    pub disposable: bool,
    /// The class whose disposal disposes this one (for the error message).
    #[serde(default)]
    pub disposed_with: Option<String>,
    #[serde(default)]
    pub methods: Vec<RawMethod>,
}

/// A plain Ruby class for values (a core-class subclass), no Rust type.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawValueClass {
    pub name: String,
    pub parent: String,
    pub doc: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawError {
    pub name: String,
    pub parent: String,
    pub doc: String,
    /// Read-only attributes the extension sets on raised instances.
    #[serde(default)]
    pub attributes: Vec<RawAttribute>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAttribute {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    pub doc: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEnum {
    pub name: String,
    pub values: Vec<String>,
    pub doc: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConstant {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    pub value: Value,
    pub doc: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMethod {
    pub name: String,
    pub doc: String,
    /// Required: `owner` or `any`. No default, so no method forgets it.
    pub threading: String,
    #[serde(default)]
    pub singleton: bool,
    #[serde(default)]
    pub allow_disposed: bool,
    /// Written in Ruby, in this file under gem/lib/: no glue, still in RBS.
    #[serde(default)]
    pub ruby: Option<String>,
    #[serde(default)]
    pub args: Vec<RawArg>,
    #[serde(default)]
    pub kwargs: Vec<RawArg>,
    #[serde(default)]
    pub block: Option<RawBlock>,
    #[serde(default = "nil_type")]
    pub returns: String,
    #[serde(default)]
    pub raises: Vec<String>,
}

fn nil_type() -> String {
    "nil".into()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawArg {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    /// Present (even as `null`) means optional.
    #[serde(default, deserialize_with = "present")]
    pub default: Option<Value>,
    #[serde(default)]
    pub splat: bool,
    #[serde(default)]
    pub doc: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBlock {
    pub required: bool,
    #[serde(default)]
    pub params: Vec<RawArg>,
    #[serde(default = "object_type")]
    pub returns: String,
    pub doc: String,
}

fn object_type() -> String {
    "Object".into()
}

/// Distinguishes `default: null` (optional, defaults to nil) from no `default` key.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}
