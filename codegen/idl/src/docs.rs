//! Emits the API reference (doc/api.md) from a checked IDL: every class,
//! method, keyword, error and enum with its doc string, signature (as RBS
//! spells it), threading rule and errors.

use std::fmt::Write;

use crate::model::{Api, Arg, ArgKind, Method, Threading};
use crate::rbs::{default_text, signature};

pub fn generate(api: &Api, source: &str) -> String {
    let enums = api.enum_values();
    let m = &api.module;
    let mut out = String::new();
    let _ = writeln!(out, "# {} API\n", m.name);
    let _ = writeln!(
        out,
        "<!-- Generated from {source}/*.yaml by rr-idl. Do not edit: run bin/generate. -->\n\n{}\n",
        m.doc.trim_end()
    );
    let _ = writeln!(out, "Classes: {}.\n", api.classes.iter().map(|c| link(&c.name)).collect::<Vec<_>>().join(", "));
    let _ = writeln!(
        out,
        "Written in Ruby on top of this API (signatures in `gem/sig/`): `RustyRacer::FileResolver`, \
         `RustyRacer::Pool`, `RustyRacer::ExecJSRuntime` and the `MiniRacer` layer.\n"
    );
    if !m.errors.is_empty() {
        let _ = writeln!(out, "## Errors\n\n| Class | Parent | Raised when |\n|---|---|---|");
        for e in &m.errors {
            let _ = writeln!(out, "| `{}::{}` | `{}` | {} |", m.name, e.name, e.parent, one_line(&e.doc));
        }
        out.push('\n');
    }
    if !m.enums.is_empty() || !m.value_classes.is_empty() || !m.constants.is_empty() {
        let _ = writeln!(out, "## Values\n");
        for e in &m.enums {
            let values: Vec<String> = e.values.iter().map(|v| format!("`:{v}`")).collect();
            let _ = writeln!(out, "- **{}** ({}): {}", e.name, values.join(", "), one_line(&e.doc));
        }
        for v in &m.value_classes {
            let _ = writeln!(out, "- **`{}::{}`** < `{}`: {}", m.name, v.name, v.parent, one_line(&v.doc));
        }
        for c in &m.constants {
            let _ = writeln!(out, "- **`{}::{}`**: {}", m.name, c.name, one_line(&c.doc));
        }
        out.push('\n');
    }
    if !m.functions.is_empty() {
        let _ = writeln!(out, "## Module functions\n");
        for f in &m.functions {
            method(&mut out, &format!("{}.{}", m.name, f.name), f, &enums, "self.");
        }
    }
    for c in &api.classes {
        let _ = writeln!(out, "## {}\n\n{}\n", c.name, c.doc.trim_end());
        for me in &c.methods {
            let (title, prefix) = if me.singleton {
                (format!("{}.{}", c.name, me.name), "self.")
            } else {
                (format!("{}#{}", c.name, me.name), "")
            };
            method(&mut out, &title, me, &enums, prefix);
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

fn method(out: &mut String, title: &str, m: &Method, enums: &[(String, Vec<String>)], prefix: &str) {
    let _ = writeln!(out, "### {title}\n\n```rbs\n{}\n```\n\n{}\n", signature(m, enums, prefix), m.doc.trim_end());
    let args: Vec<&Arg> =
        m.args.iter().chain(&m.kwargs).filter(|a| a.doc.is_some() || default_text(a).is_some()).collect();
    if !args.is_empty() {
        let _ = writeln!(out, "| Argument | Type | Default | |\n|---|---|---|---|");
        for a in args {
            let name =
                if m.kwargs.iter().any(|k| std::ptr::eq(k, a)) { format!("{}:", a.name) } else { a.name.clone() };
            let default = match &a.kind {
                ArgKind::Optional(_) => default_text(a).map(|d| format!("`{d}`")).unwrap_or_default(),
                ArgKind::Required => "required".into(),
                ArgKind::Splat => String::new(),
            };
            // GFM splits cells at `|`, also inside code spans.
            let ty = a.ty.rbs(enums, true).replace('|', "\\|");
            let _ = writeln!(out, "| `{name}` | `{ty}` | {default} | {} |", one_line(a.doc.as_deref().unwrap_or("")));
        }
        out.push('\n');
    }
    if let Some(b) = &m.block {
        let _ = writeln!(out, "Block{}: {}\n", if b.required { " (required)" } else { "" }, one_line(&b.doc));
    }
    let threads = match m.threading {
        Threading::Any => "any thread",
        Threading::Owner => "the isolate's owner thread (any thread, one at a time, for a thread-safe isolate)",
    };
    let _ = write!(out, "Called from: {threads}.");
    if let Some(file) = &m.ruby {
        let _ = write!(out, " Written in Ruby (`{file}`).");
    }
    if !m.raises.is_empty() {
        let _ = write!(out, " Raises: {}.", m.raises.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(", "));
    }
    out.push_str("\n\n");
}

/// A doc string on one line, for a table cell or a list item.
fn one_line(doc: &str) -> String {
    doc.split_whitespace().collect::<Vec<_>>().join(" ").replace('|', "\\|")
}

/// A Markdown link to a class's section.
fn link(name: &str) -> String {
    format!("[{name}](#{})", name.to_lowercase())
}
