//! The checked IDL model: what `load_dir` returns once every rule holds.
//! Every error names the file, line, class and method it is about.

use std::fmt;
use std::path::{Path, PathBuf};

use serde_yaml::Value;

use crate::raw::{RawArg, RawBlock, RawClass, RawMethod, RawModule};
use crate::types::{parse_type, Type};

pub struct Api {
    pub module: Module,
    pub classes: Vec<Class>,
    /// Every file read, so the macro can make the build depend on them.
    pub files: Vec<PathBuf>,
}

pub struct Module {
    pub name: String,
    pub doc: String,
    pub file: String,
    pub errors: Vec<ErrorDef>,
    pub value_classes: Vec<ValueClass>,
    pub enums: Vec<EnumDef>,
    pub constants: Vec<Constant>,
    pub functions: Vec<Method>,
}

/// A plain subclass of a core class that marshalled values use (no
/// methods, no Rust type): e.g. `JSMap < Hash`.
pub struct ValueClass {
    pub name: String,
    /// One of `VALUE_PARENTS`.
    pub parent: String,
    pub doc: String,
}

/// The core classes a value class may extend.
pub const VALUE_PARENTS: &[&str] = &["Hash", "Array", "Object"];

/// Ruby's own classes an error may derive from (`::RuntimeError` is Ruby's,
/// not a module's error of that name).
pub const BUILTIN_ERROR_PARENTS: &[&str] = &["StandardError", "::RuntimeError"];

pub struct ErrorDef {
    pub name: String,
    /// One of `BUILTIN_ERROR_PARENTS` or an error declared before this one.
    pub parent: String,
    pub doc: String,
    /// Readers of instance variables (`@name`) the extension sets.
    pub attributes: Vec<Attribute>,
}

pub struct Attribute {
    pub name: String,
    pub ty: Type,
    pub doc: String,
}

pub struct EnumDef {
    pub name: String,
    pub values: Vec<String>,
    pub doc: String,
}

pub struct Constant {
    pub name: String,
    pub ty: Type,
    pub value: Literal,
    pub doc: String,
}

pub struct Class {
    pub name: String,
    pub doc: String,
    pub file: String,
    pub disposable: bool,
    pub disposed_with: Option<String>,
    pub methods: Vec<Method>,
}

#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Threading {
    /// Only the thread that created the object's isolate may call it.
    Owner,
    /// Any thread may call it.
    Any,
}

pub struct Method {
    pub name: String,
    pub doc: String,
    pub threading: Threading,
    pub singleton: bool,
    pub allow_disposed: bool,
    /// Written in Ruby (the file under gem/lib/ that defines it).
    pub ruby: Option<String>,
    pub args: Vec<Arg>,
    pub kwargs: Vec<Arg>,
    pub block: Option<Block>,
    pub returns: Type,
    pub raises: Vec<String>,
}

pub struct Arg {
    pub name: String,
    pub ty: Type,
    pub kind: ArgKind,
    pub doc: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ArgKind {
    Required,
    Optional(Literal),
    Splat,
}

pub struct Block {
    pub required: bool,
    pub params: Vec<Arg>,
    pub returns: Type,
    pub doc: String,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Sym(String),
}

/// Ruby's own exceptions a method may declare in `raises:`.
pub const RUBY_ERRORS: &[&str] = &["ArgumentError", "TypeError", "RangeError", "EncodingError"];

#[derive(Debug)]
pub struct IdlError {
    pub file: String,
    pub line: Option<usize>,
    /// `Module::Class#method`, or whatever part is known.
    pub what: String,
    pub message: String,
}

impl fmt::Display for IdlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: ", self.file, line)?,
            None => write!(f, "{}: ", self.file)?,
        }
        if !self.what.is_empty() {
            write!(f, "{}: ", self.what)?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for IdlError {}

impl Method {
    /// The Rust name of a Ruby method: `disposed?` → `is_disposed`,
    /// `limit=` → `set_limit`, `reset!` → `reset_bang`.
    pub fn rust_name(&self) -> String {
        rust_method_name(&self.name)
    }

    /// `Module::Class#name` or `Module::Class.name`.
    pub fn qualified(&self, owner: &str) -> String {
        let sep = if self.singleton { "." } else { "#" };
        format!("{owner}{sep}{}", self.name)
    }

    pub fn positional_range(&self) -> (usize, Option<usize>) {
        let required = self.args.iter().filter(|a| a.kind == ArgKind::Required).count();
        let splat = self.args.iter().any(|a| a.kind == ArgKind::Splat);
        let max = if splat { None } else { Some(self.args.len()) };
        (required, max)
    }
}

pub fn rust_method_name(name: &str) -> String {
    if let Some(base) = name.strip_suffix('?') {
        format!("is_{base}")
    } else if let Some(base) = name.strip_suffix('=') {
        format!("set_{base}")
    } else if let Some(base) = name.strip_suffix('!') {
        format!("{base}_bang")
    } else {
        name.to_string()
    }
}

impl Api {
    pub fn class(&self, name: &str) -> Option<&Class> {
        self.classes.iter().find(|c| c.name == name)
    }

    pub fn enum_values(&self) -> Vec<(String, Vec<String>)> {
        self.module.enums.iter().map(|e| (e.name.clone(), e.values.clone())).collect()
    }

    /// Instance methods any thread may call, for the WrongThreadError
    /// message: those of classes confined to a thread (a class with no
    /// `owner` method is not confined at all).
    pub fn thread_safe_methods(&self) -> Vec<String> {
        let mut out = Vec::new();
        for c in self.classes.iter().filter(|c| c.methods.iter().any(|m| m.threading == Threading::Owner)) {
            for m in c.methods.iter().filter(|m| m.threading == Threading::Any && !m.singleton) {
                out.push(format!("{}#{}", c.name, m.name));
            }
        }
        out
    }
}

/// Reads every `*.yaml` in `dir` (one module file, one file per class) and
/// checks it. `shown_as` is how paths appear in messages (e.g. `idl`).
pub fn load_dir(dir: &Path, shown_as: &str) -> Result<Api, IdlError> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| IdlError {
            file: shown_as.into(),
            line: None,
            what: String::new(),
            message: format!("cannot read the IDL directory {}: {e}", dir.display()),
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    paths.sort();
    let mut sources = Vec::new();
    for path in &paths {
        let shown = format!("{shown_as}/{}", path.file_name().unwrap_or_default().to_string_lossy());
        let text = std::fs::read_to_string(path).map_err(|e| IdlError {
            file: shown.clone(),
            line: None,
            what: String::new(),
            message: format!("cannot read: {e}"),
        })?;
        sources.push((shown, text));
    }
    let mut api = load_sources(&sources, shown_as)?;
    api.files = paths.into_iter().map(|p| p.canonicalize().unwrap_or(p)).collect();
    Ok(api)
}

/// Checks an IDL given as `(file name, YAML text)` pairs.
pub fn load_sources(sources: &[(String, String)], shown_as: &str) -> Result<Api, IdlError> {
    let mut docs = Vec::new();
    for (file, text) in sources {
        let doc: Value = serde_yaml::from_str(text).map_err(|e| serde_error(file, None, "", &e))?;
        docs.push(doc);
    }
    // The module's name qualifies every class in messages, whatever the file order.
    let module_name = docs.iter().find_map(|d| d.get("module").and_then(Value::as_str)).unwrap_or_default().to_string();
    let mut module: Option<(String, String, RawModule)> = None;
    let mut classes = Vec::new();
    for ((file, text), doc) in sources.iter().zip(&docs) {
        if doc.get("module").is_some() {
            let raw: RawModule =
                serde_yaml::from_str(text).map_err(|e| serde_error(file, Some(doc), &module_name, &e))?;
            if let Some((other, _, _)) = &module {
                return Err(err(file, None, "", format!("a second module file (the first is {other})")));
            }
            module = Some((file.clone(), text.clone(), raw));
        } else if doc.get("class").is_some() {
            let raw: RawClass =
                serde_yaml::from_str(text).map_err(|e| serde_error(file, Some(doc), &module_name, &e))?;
            classes.push((file.clone(), text.clone(), raw));
        } else {
            return Err(err(file, Some(1), "", "an IDL file starts with `module:` or `class:`".into()));
        }
    }
    let Some((module_file, module_text, raw_module)) = module else {
        return Err(err(shown_as, None, "", "no module file (a YAML file with a `module:` key)".into()));
    };
    Checker::new(&module_file, &module_text, raw_module, classes).check()
}

fn err(file: &str, line: Option<usize>, what: &str, message: String) -> IdlError {
    IdlError { file: file.into(), line, what: what.into(), message }
}

/// A serde error, with the class and method it is in named from the parsed YAML.
fn serde_error(file: &str, doc: Option<&Value>, module: &str, e: &serde_yaml::Error) -> IdlError {
    let mut message = e.to_string();
    let line = e.location().map(|l| l.line());
    if let Some(loc) = e.location() {
        let suffix = format!(" at line {} column {}", loc.line(), loc.column());
        if let Some(stripped) = message.strip_suffix(&suffix) {
            message = stripped.to_string();
        }
    }
    let mut what = String::new();
    if let Some(doc) = doc {
        what = match (doc.get("class").and_then(Value::as_str), doc.get("module").and_then(Value::as_str)) {
            (Some(class), _) => format!("{module}::{class}"),
            (None, Some(m)) => m.to_string(),
            _ => String::new(),
        };
        for (list, sep) in [("methods", "#"), ("functions", ".")] {
            let Some(rest) = message.strip_prefix(&format!("{list}[")) else { continue };
            let Some((index, rest)) = rest.split_once(']') else { continue };
            let entry = index.parse::<usize>().ok().and_then(|i| doc.get(list)?.get(i));
            if let Some(name) = entry.and_then(|m| m.get("name")?.as_str()) {
                let singleton = entry.and_then(|m| m.get("singleton")?.as_bool()).unwrap_or(false);
                let sep = if singleton { "." } else { sep };
                what = format!("{what}{sep}{name}");
                message = rest.trim_start_matches(['.', ':', ' ']).to_string();
            }
        }
    }
    err(file, line, &what, message)
}

struct Checker<'a> {
    module_file: &'a str,
    module_text: &'a str,
    raw: RawModule,
    classes: Vec<(String, String, RawClass)>,
    enum_names: Vec<String>,
    class_names: Vec<String>,
}

impl<'a> Checker<'a> {
    fn new(
        module_file: &'a str,
        module_text: &'a str,
        raw: RawModule,
        classes: Vec<(String, String, RawClass)>,
    ) -> Self {
        let enum_names = raw.enums.iter().map(|e| e.name.clone()).collect();
        let class_names = classes.iter().map(|(_, _, c)| c.class.clone()).collect();
        Checker { module_file, module_text, raw, classes, enum_names, class_names }
    }

    fn check(self) -> Result<Api, IdlError> {
        let mname = self.raw.module.clone();
        let mfile = self.module_file;
        let mtext = self.module_text;
        if !is_constant_name(&mname) {
            return Err(err(
                mfile,
                line_of(mtext, "module", &mname),
                "",
                format!("module name `{mname}` is not a Ruby constant name"),
            ));
        }

        let mut errors: Vec<ErrorDef> = Vec::new();
        for e in &self.raw.errors {
            let at = line_of(mtext, "errors", &e.name);
            let what = format!("{mname}::{}", e.name);
            if !is_constant_name(&e.name) {
                return Err(err(mfile, at, &what, "an error name must be a Ruby constant name".into()));
            }
            if errors.iter().any(|x| x.name == e.name) {
                return Err(err(mfile, at, &what, "error declared twice".into()));
            }
            if !BUILTIN_ERROR_PARENTS.contains(&e.parent.as_str()) && !errors.iter().any(|x| x.name == e.parent) {
                return Err(err(
                    mfile,
                    at,
                    &what,
                    format!(
                        "unknown parent error `{}` ({} or an error declared above this one)",
                        e.parent,
                        BUILTIN_ERROR_PARENTS.join(", ")
                    ),
                ));
            }
            let mut attributes = Vec::new();
            for a in &e.attributes {
                if !is_method_name(&a.name) || a.name.ends_with(['?', '!', '=']) {
                    return Err(err(mfile, at, &what, format!("attribute `{}` is not a plain method name", a.name)));
                }
                let ty = parse_type(&a.ty, &self.enum_names, &[])
                    .map_err(|m| err(mfile, at, &what, format!("attribute {}: {m}", a.name)))?;
                attributes.push(Attribute { name: a.name.clone(), ty, doc: a.doc.clone() });
            }
            errors.push(ErrorDef { name: e.name.clone(), parent: e.parent.clone(), doc: e.doc.clone(), attributes });
        }

        let mut value_classes: Vec<ValueClass> = Vec::new();
        for v in &self.raw.value_classes {
            let at = line_of(mtext, "value_classes", &v.name);
            let what = format!("{mname}::{}", v.name);
            if !is_constant_name(&v.name) {
                return Err(err(mfile, at, &what, "a class name must be a Ruby constant name".into()));
            }
            if errors.iter().any(|x| x.name == v.name) || value_classes.iter().any(|x| x.name == v.name) {
                return Err(err(mfile, at, &what, "class declared twice".into()));
            }
            if !VALUE_PARENTS.contains(&v.parent.as_str()) {
                return Err(err(
                    mfile,
                    at,
                    &what,
                    format!("unknown parent `{}` (one of {})", v.parent, VALUE_PARENTS.join(", ")),
                ));
            }
            value_classes.push(ValueClass { name: v.name.clone(), parent: v.parent.clone(), doc: v.doc.clone() });
        }

        let mut enums: Vec<EnumDef> = Vec::new();
        for e in &self.raw.enums {
            let at = line_of(mtext, "enums", &e.name);
            if !is_constant_name(&e.name)
                || self.class_names.contains(&e.name)
                || enums.iter().any(|x| x.name == e.name)
            {
                return Err(err(mfile, at, &e.name, "an enum needs a unique CamelCase name".into()));
            }
            if e.values.is_empty() || e.values.iter().any(|v| !is_ident(v)) {
                return Err(err(mfile, at, &e.name, "enum values must be one or more lower-case symbol names".into()));
            }
            enums.push(EnumDef { name: e.name.clone(), values: e.values.clone(), doc: e.doc.clone() });
        }

        let mut constants = Vec::new();
        for c in &self.raw.constants {
            let at = line_of(mtext, "constants", &c.name);
            let what = format!("{mname}::{}", c.name);
            if !is_constant_name(&c.name) {
                return Err(err(mfile, at, &what, "a constant name must be a Ruby constant name".into()));
            }
            let ty = parse_type(&c.ty, &self.enum_names, &[]).map_err(|m| err(mfile, at, &what, m))?;
            if !matches!(ty, Type::String | Type::Integer | Type::Float | Type::Boolean | Type::Symbol) {
                return Err(err(
                    mfile,
                    at,
                    &what,
                    format!("a constant is a String, Integer, Float, Boolean or Symbol, not {ty}"),
                ));
            }
            let value = literal(&c.value, &ty, &self.raw.enums_values())
                .map_err(|m| err(mfile, at, &what, format!("value: {m}")))?;
            constants.push(Constant { name: c.name.clone(), ty, value, doc: c.doc.clone() });
        }

        let mut functions = Vec::new();
        for f in &self.raw.functions {
            let m = self.method(mfile, mtext, &mname, "functions", f, &errors, true, false)?;
            if functions.iter().any(|x: &Method| x.name == m.name) {
                return Err(err(
                    mfile,
                    line_of(mtext, "functions", &f.name),
                    &format!("{mname}.{}", f.name),
                    "function declared twice".into(),
                ));
            }
            functions.push(m);
        }

        let mut classes = Vec::new();
        let mut seen_classes: Vec<(String, String)> = Vec::new();
        for (file, text, c) in &self.classes {
            let cname = format!("{mname}::{}", c.class);
            if !is_constant_name(&c.class) {
                return Err(err(
                    file,
                    line_of(text, "class", &c.class),
                    &cname,
                    "a class name must be a Ruby constant name".into(),
                ));
            }
            if let Some((_, other)) = seen_classes.iter().find(|(n, _)| n == &c.class) {
                return Err(err(file, None, &cname, format!("class declared twice (also in {other})")));
            }
            seen_classes.push((c.class.clone(), file.clone()));
            if let Some(w) = &c.disposed_with {
                if !self.class_names.contains(w) {
                    return Err(err(
                        file,
                        line_of(text, "disposed_with", w),
                        &cname,
                        format!("disposed_with: unknown class `{w}`"),
                    ));
                }
            }
            let mut methods: Vec<Method> = Vec::new();
            for raw in &c.methods {
                let m = self.method(file, text, &cname, "methods", raw, &errors, raw.singleton, c.disposable)?;
                if methods.iter().any(|x| x.name == m.name && x.singleton == m.singleton) {
                    return Err(err(
                        file,
                        line_of(text, "methods", &raw.name),
                        &m.qualified(&cname),
                        "method declared twice".into(),
                    ));
                }
                if !m.singleton && methods.iter().any(|x| !x.singleton && x.rust_name() == m.rust_name()) {
                    return Err(err(
                        file,
                        line_of(text, "methods", &raw.name),
                        &m.qualified(&cname),
                        format!("its Rust name `{}` is taken by another method", m.rust_name()),
                    ));
                }
                methods.push(m);
            }
            classes.push(Class {
                name: c.class.clone(),
                doc: c.doc.clone(),
                file: file.clone(),
                disposable: c.disposable,
                disposed_with: c.disposed_with.clone(),
                methods,
            });
        }

        let needs = |name: &str, why: &str| -> Result<(), IdlError> {
            if errors.iter().any(|e| e.name == name) {
                Ok(())
            } else {
                Err(err(mfile, None, &mname, format!("declare an error named `{name}`: {why}")))
            }
        };
        if classes.iter().any(|c| c.methods.iter().any(|m| m.threading == Threading::Owner)) {
            needs("WrongThreadError", "methods with `threading: owner` raise it")?;
        }
        if classes.iter().any(|c| c.disposable) {
            needs("DisposedError", "disposable classes raise it")?;
        }

        Ok(Api {
            module: Module {
                name: mname,
                doc: self.raw.doc.clone(),
                file: mfile.into(),
                errors,
                value_classes,
                enums,
                constants,
                functions,
            },
            classes,
            files: Vec::new(),
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn method(
        &self,
        file: &str,
        text: &str,
        owner: &str,
        section: &str,
        raw: &RawMethod,
        errors: &[ErrorDef],
        singleton: bool,
        disposable: bool,
    ) -> Result<Method, IdlError> {
        let at = line_of(text, section, &raw.name);
        let sep = if singleton { "." } else { "#" };
        let what = format!("{owner}{sep}{}", raw.name);
        let fail = |m: String| err(file, at, &what, m);
        if !is_method_name(&raw.name) {
            return Err(fail(format!("`{}` is not a Ruby method name this generator supports", raw.name)));
        }
        let threading = match raw.threading.as_str() {
            "owner" => Threading::Owner,
            "any" => Threading::Any,
            other => return Err(fail(format!("threading must be `owner` or `any`, not `{other}`"))),
        };
        if singleton && threading == Threading::Owner {
            return Err(fail("`threading: owner` needs an instance method (a singleton method or module function has no owner to check)".into()));
        }
        if let Some(file) = &raw.ruby {
            if !file.starts_with("gem/lib/") || !file.ends_with(".rb") {
                return Err(fail(format!("ruby: `{file}` must be a .rb file under gem/lib/")));
            }
        }
        if raw.allow_disposed && !disposable {
            return Err(fail("allow_disposed is only for methods of a disposable class".into()));
        }
        let enums = self.raw.enums_values();
        let mut args = Vec::new();
        let mut names: Vec<String> = Vec::new();
        let mut last = 0; // 0 required, 1 optional, 2 splat
        for a in &raw.args {
            let arg = self.arg(a, &enums).map_err(|m| fail(format!("argument `{}`: {m}", a.name)))?;
            let rank = match arg.kind {
                ArgKind::Required => 0,
                ArgKind::Optional(_) => 1,
                ArgKind::Splat => 2,
            };
            if rank < last || (rank == 2 && last == 2) {
                return Err(fail(format!(
                    "argument `{}`: positional arguments go required, then optional, then one splat",
                    a.name
                )));
            }
            last = rank;
            names.push(arg.name.clone());
            args.push(arg);
        }
        let mut kwargs = Vec::new();
        for k in &raw.kwargs {
            if k.splat {
                return Err(fail(format!("keyword `{}`: keywords cannot be splats", k.name)));
            }
            let arg = self.arg(k, &enums).map_err(|m| fail(format!("keyword `{}`: {m}", k.name)))?;
            names.push(arg.name.clone());
            kwargs.push(arg);
        }
        if let Some(dup) = names.iter().enumerate().find(|(i, n)| names[..*i].contains(n)) {
            return Err(fail(format!("two arguments are named `{}`", dup.1)));
        }
        let block = match &raw.block {
            None => None,
            Some(b) => Some(self.block(b, &enums).map_err(|m| fail(format!("block: {m}")))?),
        };
        let returns =
            parse_type(&raw.returns, &self.enum_names, &self.class_names).map_err(|m| fail(format!("returns: {m}")))?;
        if returns == Type::Receiver && (singleton || section == "functions") {
            return Err(fail("returns: `self` needs an instance method of a class".into()));
        }
        for e in &raw.raises {
            if !errors.iter().any(|x| &x.name == e) && !RUBY_ERRORS.contains(&e.as_str()) {
                let mut known: Vec<&str> = errors.iter().map(|x| x.name.as_str()).collect();
                known.extend(RUBY_ERRORS);
                return Err(fail(format!("raises: unknown error class `{e}` (known: {})", known.join(", "))));
            }
        }
        Ok(Method {
            name: raw.name.clone(),
            doc: raw.doc.clone(),
            threading,
            singleton,
            allow_disposed: raw.allow_disposed,
            ruby: raw.ruby.clone(),
            args,
            kwargs,
            block,
            returns,
            raises: raw.raises.clone(),
        })
    }

    fn arg(&self, a: &RawArg, enums: &[(String, Vec<String>)]) -> Result<Arg, String> {
        if !is_ident(&a.name)
            || RUST_KEYWORDS.contains(&a.name.as_str())
            || a.name == "ruby"
            || a.name.starts_with("rb_")
        {
            return Err("the name must be a lower-case identifier (not a Rust keyword, `ruby` or `rb_*`)".into());
        }
        let ty = parse_type(&a.ty, &self.enum_names, &self.class_names)?;
        if ty == Type::Nil || ty == Type::Receiver {
            return Err(format!("`{ty}` is only a return type"));
        }
        let kind = match (&a.default, a.splat) {
            (Some(_), true) => return Err("a splat has no default".into()),
            (None, true) => ArgKind::Splat,
            (None, false) => ArgKind::Required,
            (Some(v), false) => ArgKind::Optional(literal(v, &ty, enums).map_err(|m| format!("default: {m}"))?),
        };
        Ok(Arg { name: a.name.clone(), ty, kind, doc: a.doc.clone() })
    }

    fn block(&self, b: &RawBlock, enums: &[(String, Vec<String>)]) -> Result<Block, String> {
        let mut params = Vec::new();
        for p in &b.params {
            let arg = self.arg(p, enums).map_err(|m| format!("parameter `{}`: {m}", p.name))?;
            if arg.kind != ArgKind::Required {
                return Err(format!("parameter `{}`: block parameters have no default or splat", p.name));
            }
            params.push(arg);
        }
        let returns = parse_type(&b.returns, &self.enum_names, &self.class_names)?;
        Ok(Block { required: b.required, params, returns, doc: b.doc.clone() })
    }
}

impl RawModule {
    fn enums_values(&self) -> Vec<(String, Vec<String>)> {
        self.enums.iter().map(|e| (e.name.clone(), e.values.clone())).collect()
    }
}

/// Checks a default value (or constant) against its type.
fn literal(v: &Value, ty: &Type, enums: &[(String, Vec<String>)]) -> Result<Literal, String> {
    let wrong = || format!("`{}` is not of type {ty}", serde_yaml::to_string(v).unwrap_or_default().trim());
    match (ty, v) {
        (t, Value::Null) if t.accepts_nil() => Ok(Literal::Nil),
        (Type::Nilable(inner), v) => literal(v, inner, enums),
        (Type::String | Type::Binary, Value::String(s)) => Ok(Literal::Str(s.clone())),
        (Type::Integer, Value::Number(n)) => n.as_i64().map(Literal::Int).ok_or_else(wrong),
        (Type::Float, Value::Number(n)) => n.as_f64().map(Literal::Float).ok_or_else(wrong),
        (Type::Boolean, Value::Bool(b)) => Ok(Literal::Bool(*b)),
        (Type::Symbol, Value::String(s)) => Ok(Literal::Sym(s.trim_start_matches(':').to_string())),
        (Type::Enum(name), Value::String(s)) => {
            let s = s.trim_start_matches(':');
            let values = enums.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_slice()).unwrap_or_default();
            if values.iter().any(|x| x == s) {
                Ok(Literal::Sym(s.to_string()))
            } else {
                Err(format!(
                    "`:{s}` is not one of {}",
                    values.iter().map(|v| format!(":{v}")).collect::<Vec<_>>().join(", ")
                ))
            }
        }
        (Type::Object, Value::Bool(b)) => Ok(Literal::Bool(*b)),
        (Type::Object, Value::Number(n)) if n.is_i64() => Ok(Literal::Int(n.as_i64().unwrap_or_default())),
        (Type::Object, Value::String(s)) => Ok(Literal::Str(s.clone())),
        _ => Err(wrong()),
    }
}

const RUST_KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn",
    "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "static",
    "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while", "abstract", "become", "box", "do",
    "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn is_constant_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_uppercase()) && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn is_method_name(s: &str) -> bool {
    let base = s.strip_suffix(['?', '!', '=']).unwrap_or(s);
    is_ident(base) && !RUST_KEYWORDS.contains(&rust_method_name(s).as_str())
}

/// The 1-based line of the list entry `- name: <name>` (or `key: <name>`) in
/// `section`, for messages. Falls back to the first mention of the name.
fn line_of(text: &str, section: &str, name: &str) -> Option<usize> {
    let mut in_section = false;
    let mut entry_indent: Option<usize> = None;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if indent == 0 && !trimmed.is_empty() && !trimmed.starts_with('#') && !trimmed.starts_with('-') {
            in_section = trimmed.starts_with(&format!("{section}:"));
            if in_section && yaml_value(trimmed.trim_start_matches(&format!("{section}:"))) == name {
                return Some(i + 1);
            }
            continue;
        }
        if in_section {
            if let Some(rest) = trimmed.strip_prefix("- ") {
                let rest = rest.trim_start().trim_start_matches('{').trim_start();
                if let Some(value) = rest.strip_prefix("name:") {
                    let indent = indent + (line.len() - indent - trimmed.len());
                    if entry_indent.is_none_or(|e| indent <= e) {
                        entry_indent = Some(indent);
                        let value = value.split([',', '}']).next().unwrap_or_default();
                        if yaml_value(value) == name {
                            return Some(i + 1);
                        }
                    }
                }
            }
        }
    }
    text.lines().position(|l| l.contains(name)).map(|i| i + 1)
}

fn yaml_value(s: &str) -> &str {
    s.split(" #").next().unwrap_or_default().trim().trim_matches(['"', '\''])
}
