//! Emits RBS signatures for a checked IDL, with the docs as comments.

use std::fmt::Write;

use crate::glue::ruby_literal;
use crate::model::{Api, Arg, ArgKind, Method, Threading};
use crate::types::Type;

pub fn generate(api: &Api, source: &str) -> String {
    let enums = api.enum_values();
    let mut out = String::new();
    let m = &api.module;
    let _ = writeln!(out, "# Generated from {source}/*.yaml by rr-idl. Do not edit: run bin/generate.\n");
    comment(&mut out, "", &m.doc);
    let _ = writeln!(out, "module {}", m.name);
    if mentions_callable(api) {
        let _ = writeln!(out, "  # Anything that responds to `call`: a Proc, a lambda, a Method, or an object.");
        let _ = writeln!(out, "  interface _Callable\n    def call: (*untyped) -> untyped\n  end\n");
    }
    for c in &m.constants {
        comment(&mut out, "  ", &c.doc);
        let _ = writeln!(out, "  {}: {}\n", c.name, c.ty.rbs(&enums, false));
    }
    for e in &m.errors {
        comment(&mut out, "  ", &e.doc);
        let _ = writeln!(out, "  class {} < {}", e.name, e.parent);
        for a in &e.attributes {
            comment(&mut out, "    ", &a.doc);
            let _ = writeln!(out, "    attr_reader {}: {}", a.name, a.ty.rbs(&enums, false));
        }
        let _ = writeln!(out, "  end\n");
    }
    for v in &m.value_classes {
        comment(&mut out, "  ", &v.doc);
        let parent = match v.parent.as_str() {
            "Hash" => "Hash[untyped, untyped]",
            "Array" => "Array[untyped]",
            other => other,
        };
        let _ = writeln!(out, "  class {} < {parent}\n  end\n", v.name);
    }
    for f in &m.functions {
        method(&mut out, f, &enums, "  ");
        out.push('\n');
    }
    for c in &api.classes {
        comment(&mut out, "  ", &c.doc);
        let _ = writeln!(out, "  class {}", c.name);
        for (i, me) in c.methods.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            method(&mut out, me, &enums, "    ");
        }
        let _ = writeln!(out, "  end\n");
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out.push_str("end\n");
    out
}

fn mentions_callable(api: &Api) -> bool {
    fn has(t: &Type) -> bool {
        match t {
            Type::Callable => true,
            Type::Array(e) | Type::Nilable(e) => has(e),
            Type::Hash(k, v) => has(k) || has(v),
            _ => false,
        }
    }
    let methods = api.module.functions.iter().chain(api.classes.iter().flat_map(|c| &c.methods));
    methods.into_iter().any(|m| has(&m.returns) || m.args.iter().chain(&m.kwargs).any(|a| has(&a.ty)))
}

fn method(out: &mut String, m: &Method, enums: &[(String, Vec<String>)], indent: &str) {
    let mut doc = m.doc.trim_end().to_string();
    let defaults: Vec<String> =
        m.args.iter().chain(&m.kwargs).filter_map(|a| default_text(a).map(|d| format!("{}: {d}", a.name))).collect();
    if !defaults.is_empty() {
        doc.push_str(&format!("\nDefaults: {}.", defaults.join(", ")));
    }
    if m.threading == Threading::Any {
        doc.push_str("\nThread-safe: may be called from any thread.");
    }
    if !m.raises.is_empty() {
        doc.push_str(&format!("\nRaises: {}.", m.raises.join(", ")));
    }
    comment(out, indent, &doc);
    let self_prefix = if m.singleton || indent == "  " { "self." } else { "" };
    let _ = writeln!(out, "{indent}{}", signature(m, enums, self_prefix));
}

/// `def name: (params) { block } -> returns`, as RBS spells it.
pub(crate) fn signature(m: &Method, enums: &[(String, Vec<String>)], self_prefix: &str) -> String {
    let mut params: Vec<String> = m.args.iter().map(|a| positional(a, enums)).collect();
    params.extend(m.kwargs.iter().map(|k| {
        let opt = if matches!(k.kind, ArgKind::Optional(_)) { "?" } else { "" };
        format!("{opt}{}: {}", k.name, k.ty.rbs(enums, true))
    }));
    let block = m.block.as_ref().map(|b| {
        let ps: Vec<String> = b.params.iter().map(|p| format!("{} {}", p.ty.rbs(enums, false), p.name)).collect();
        let opt = if b.required { "" } else { "?" };
        format!(" {opt}{{ ({}) -> {} }}", ps.join(", "), b.returns.rbs(enums, true))
    });
    format!(
        "def {self_prefix}{}: ({}){} -> {}",
        m.name,
        params.join(", "),
        block.unwrap_or_default(),
        m.returns.rbs(enums, false)
    )
}

fn positional(a: &Arg, enums: &[(String, Vec<String>)]) -> String {
    let t = a.ty.rbs(enums, true);
    match &a.kind {
        ArgKind::Required => format!("{t} {}", a.name),
        ArgKind::Optional(_) => format!("?{t} {}", a.name),
        ArgKind::Splat => format!("*{t} {}", a.name),
    }
}

fn comment(out: &mut String, indent: &str, text: &str) {
    for line in text.trim_end().lines() {
        if line.trim().is_empty() {
            let _ = writeln!(out, "{indent}#");
        } else {
            let _ = writeln!(out, "{indent}# {line}");
        }
    }
}

/// An optional argument's default, spelled in Ruby.
pub(crate) fn default_text(a: &Arg) -> Option<String> {
    match &a.kind {
        ArgKind::Optional(l) => Some(ruby_literal(l)),
        _ => None,
    }
}
