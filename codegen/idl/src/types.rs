//! The IDL's type vocabulary (documented in `codegen/README.md`): how each
//! type is spelled in YAML, checked in Ruby, typed in Rust and written in RBS.

use std::fmt;

#[derive(Clone, Debug, PartialEq)]
pub enum Type {
    String,
    /// A String of bytes, returned as ASCII-8BIT.
    Binary,
    Integer,
    Float,
    Boolean,
    Symbol,
    /// Any Ruby value, passed through untouched.
    Object,
    /// Anything that responds to `call` (Proc, Method, lambda, object).
    Callable,
    /// Return type only: the method returns nil.
    Nil,
    Array(Box<Type>),
    Hash(Box<Type>, Box<Type>),
    Nilable(Box<Type>),
    /// A symbol enum declared under `enums:` in the module file.
    Enum(std::string::String),
    /// One of the IDL's own classes.
    Class(std::string::String),
    /// Return type of an instance method only: the receiver (for chaining).
    Receiver,
}

pub const PRIMITIVES: &[&str] =
    &["String", "Binary", "Integer", "Float", "Boolean", "Symbol", "Object", "Callable", "nil"];

/// Parses a type as written in YAML. `enums` and `classes` are the names the
/// IDL declares; anything else is an error that lists what is known.
pub fn parse_type(text: &str, enums: &[String], classes: &[String]) -> Result<Type, std::string::String> {
    let t = text.trim();
    if let Some(inner) = t.strip_suffix('?') {
        let inner = parse_type(inner, enums, classes)?;
        return match inner {
            Type::Nil | Type::Nilable(_) | Type::Object | Type::Receiver => {
                Err(format!("type `{t}`: `?` needs a type that cannot already be nil"))
            }
            other => Ok(Type::Nilable(Box::new(other))),
        };
    }
    if let Some(args) = generic(t, "Array") {
        let [elem] = split_args::<1>(t, args)?;
        return Ok(Type::Array(Box::new(value_type(parse_type(elem, enums, classes)?, t)?)));
    }
    if let Some(args) = generic(t, "Hash") {
        let [k, v] = split_args::<2>(t, args)?;
        let k = value_type(parse_type(k, enums, classes)?, t)?;
        let v = value_type(parse_type(v, enums, classes)?, t)?;
        return Ok(Type::Hash(Box::new(k), Box::new(v)));
    }
    Ok(match t {
        "String" => Type::String,
        "Binary" => Type::Binary,
        "Integer" => Type::Integer,
        "Float" => Type::Float,
        "Boolean" => Type::Boolean,
        "Symbol" => Type::Symbol,
        "Object" => Type::Object,
        "Callable" => Type::Callable,
        "nil" => Type::Nil,
        "self" => Type::Receiver,
        _ if enums.iter().any(|e| e == t) => Type::Enum(t.to_string()),
        _ if classes.iter().any(|c| c == t) => Type::Class(t.to_string()),
        _ => {
            let mut known: Vec<&str> = PRIMITIVES.to_vec();
            known.extend(["Array[T]", "Hash[K, V]", "T?"]);
            known.extend(enums.iter().map(String::as_str));
            known.extend(classes.iter().map(String::as_str));
            return Err(format!("unknown type `{t}` (known: {})", known.join(", ")));
        }
    })
}

fn value_type(t: Type, whole: &str) -> Result<Type, String> {
    if t == Type::Nil || t == Type::Receiver {
        return Err(format!("type `{whole}`: `{t}` is only a return type"));
    }
    Ok(t)
}

fn generic<'a>(t: &'a str, name: &str) -> Option<&'a str> {
    t.strip_prefix(name)?.trim_start().strip_prefix('[')?.strip_suffix(']')
}

/// Splits `K, V` at top-level commas.
fn split_args<'a, const N: usize>(whole: &str, args: &'a str) -> Result<[&'a str; N], String> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in args.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&args[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&args[start..]);
    parts.try_into().map_err(|p: Vec<&str>| format!("type `{whole}` takes {N} type argument(s), got {}", p.len()))
}

impl Type {
    /// Whether `nil` is a value of this type.
    pub fn accepts_nil(&self) -> bool {
        matches!(self, Type::Nilable(_) | Type::Object | Type::Nil)
    }

    /// The RBS spelling. `arg` tells whether it is an argument (where Float
    /// also takes an Integer) or a return value.
    pub fn rbs(&self, enums: &[(String, Vec<String>)], arg: bool) -> String {
        match self {
            Type::String | Type::Binary => "String".into(),
            Type::Integer => "Integer".into(),
            Type::Float if arg => "(Float | Integer)".into(),
            Type::Float => "Float".into(),
            Type::Boolean => "bool".into(),
            Type::Symbol => "Symbol".into(),
            Type::Object => "untyped".into(),
            Type::Callable => "_Callable".into(),
            Type::Nil => "nil".into(),
            Type::Array(e) => format!("Array[{}]", e.rbs(enums, arg)),
            Type::Hash(k, v) => format!("Hash[{}, {}]", k.rbs(enums, arg), v.rbs(enums, arg)),
            Type::Nilable(inner) => {
                format!("{}?", inner.rbs(enums, arg))
            }
            Type::Enum(name) => enums
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, vals)| match vals.as_slice() {
                    [one] => format!(":{one}"),
                    _ => format!("({})", vals.iter().map(|v| format!(":{v}")).collect::<Vec<_>>().join(" | ")),
                })
                .unwrap_or_else(|| "Symbol".into()),
            Type::Class(name) => name.clone(),
            Type::Receiver => "self".into(),
        }
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::String => f.write_str("String"),
            Type::Binary => f.write_str("Binary"),
            Type::Integer => f.write_str("Integer"),
            Type::Float => f.write_str("Float"),
            Type::Boolean => f.write_str("Boolean"),
            Type::Symbol => f.write_str("Symbol"),
            Type::Object => f.write_str("Object"),
            Type::Callable => f.write_str("Callable"),
            Type::Nil => f.write_str("nil"),
            Type::Receiver => f.write_str("self"),
            Type::Array(e) => write!(f, "Array[{e}]"),
            Type::Hash(k, v) => write!(f, "Hash[{k}, {v}]"),
            Type::Nilable(t) => write!(f, "{t}?"),
            Type::Enum(n) | Type::Class(n) => f.write_str(n),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(t: &str) -> Result<Type, String> {
        parse_type(t, &["Mode".into()], &["Widget".into()])
    }

    #[test]
    fn parses_the_vocabulary() {
        assert_eq!(p("Hash[String, Array[Integer?]]").unwrap().to_string(), "Hash[String, Array[Integer?]]");
        assert_eq!(p("Mode?").unwrap(), Type::Nilable(Box::new(Type::Enum("Mode".into()))));
        assert_eq!(p("Widget").unwrap(), Type::Class("Widget".into()));
    }

    #[test]
    fn rejects_what_it_does_not_know() {
        assert!(p("Strng").unwrap_err().contains("unknown type `Strng`"));
        assert!(p("Hash[String]").unwrap_err().contains("takes 2 type argument"));
        assert!(p("Object?").unwrap_err().contains("cannot already be nil"));
        assert!(p("Array[nil]").unwrap_err().contains("only a return type"));
    }

    #[test]
    fn rbs_spellings() {
        let enums = vec![("Mode".to_string(), vec!["fast".to_string(), "safe".to_string()])];
        assert_eq!(p("Mode?").unwrap().rbs(&enums, true), "(:fast | :safe)?");
        assert_eq!(p("Float").unwrap().rbs(&enums, true), "(Float | Integer)");
        assert_eq!(p("Float").unwrap().rbs(&enums, false), "Float");
    }
}
