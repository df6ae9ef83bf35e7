//! Emits the Magnus glue for a checked IDL: the error classes, symbol enums,
//! one trait per class (and one for the module functions), and the
//! functions Ruby calls. Each glue function runs the same steps in order:
//! owner-thread check, disposed check, arity and keywords, named
//! conversion of each argument, the trait call, conversion of the result.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::model::{Api, Arg, ArgKind, Class, Literal, Method, Threading};
use crate::types::Type;

/// The whole expansion for `api`, without the `include_bytes!` lines the
/// macro adds for rebuilds.
pub fn generate(api: &Api) -> TokenStream {
    let module = &api.module;
    let thread_safe = api.thread_safe_methods();
    let thread_safe = if thread_safe.is_empty() { "nothing".to_string() } else { thread_safe.join(", ") };
    let cx = Cx { api, thread_safe };

    let errors = errors(api);
    let value_classes = api.module.value_classes.iter().map(|v| {
        let name = &v.name;
        let parent = match v.parent.as_str() {
            "Hash" => quote! { ruby.class_hash() },
            "Array" => quote! { ruby.class_array() },
            _ => quote! { ruby.class_object() },
        };
        quote! { module.define_class(#name, #parent)?; }
    });
    let enums = api.module.enums.iter().map(|e| {
        let name = ident(&e.name);
        let doc = doc_attr(&e.doc);
        let variants: Vec<Ident> = e.values.iter().map(|v| ident(&camel(v))).collect();
        let values = &e.values;
        let expected = format!("one of {}", e.values.iter().map(|v| format!(":{v}")).collect::<Vec<_>>().join(", "));
        quote! {
            #doc
            #[derive(Clone, Copy, Debug, PartialEq, Eq)]
            pub enum #name { #(#variants),* }
            impl #name {
                /// The Ruby symbol's name.
                pub const fn name(self) -> &'static str {
                    match self { #(Self::#variants => #values),* }
                }
            }
            impl ::rr_glue::FromArg for #name {
                fn expected(_: &::rr_glue::magnus::Ruby) -> ::std::string::String { #expected.into() }
                fn from_arg(
                    ruby: &::rr_glue::magnus::Ruby,
                    value: ::rr_glue::magnus::Value,
                ) -> ::std::result::Result<Self, ::rr_glue::Mismatch> {
                    let ::rr_glue::SymbolName(name) = ::rr_glue::FromArg::from_arg(ruby, value)?;
                    match name.as_str() {
                        #(#values => Ok(Self::#variants),)*
                        _ => Err(::rr_glue::Mismatch::Value(::std::format!(":{name}"))),
                    }
                }
            }
            impl ::rr_glue::IntoRuby for #name {
                fn into_ruby(self, ruby: &::rr_glue::magnus::Ruby) -> ::rr_glue::magnus::Value {
                    ::rr_glue::IntoRuby::into_ruby(::rr_glue::SymbolName(self.name().into()), ruby)
                }
            }
        }
    });

    let module_name = &module.name;
    let module_trait = format_ident!("{}Api", module.name);
    let module_impl = format_ident!("{}", module.name);
    let module_doc = doc_attr(&format!(
        "The module functions of `{}`, implemented by `crate::{}`.\n\n{}",
        module.name, module.name, module.doc
    ));
    let native = || module.functions.iter().filter(|m| m.ruby.is_none());
    let fn_sigs = native().map(|m| cx.trait_method(m, None));
    let fn_glue = native().map(|m| cx.glue(m, None));
    let fn_defs = native().map(|m| {
        let name = &m.name;
        let glue = glue_name(None, m);
        quote! { module.define_module_function(#name, ::rr_glue::magnus::function!(#glue, -1))?; }
    });
    let constants = module.constants.iter().map(|c| {
        let name = &c.name;
        let value = literal_value(&c.value, &c.ty);
        quote! { module.const_set(#name, ::rr_glue::IntoRuby::into_ruby(#value, ruby))?; }
    });

    let classes = api.classes.iter().map(|c| cx.class(c));
    let class_defs = api.classes.iter().map(|c| {
        let define = format_ident!("define_{}", snake(&c.name));
        quote! { #define(ruby, module)?; }
    });

    quote! {
        /// The Ruby module's name.
        pub const MODULE_NAME: &str = #module_name;

        #errors
        #(#enums)*

        #module_doc
        pub trait #module_trait {
            #(#fn_sigs)*
        }

        /// Defines the module with its errors, constants and functions (not its classes).
        pub fn define_top_module(ruby: &::rr_glue::magnus::Ruby) -> ::std::result::Result<::rr_glue::magnus::RModule, ::rr_glue::magnus::Error> {
            use ::rr_glue::magnus::prelude::*;
            let module = ruby.define_module(#module_name)?;
            define_errors(ruby, module)?;
            #(#value_classes)*
            #(#constants)*
            #(#fn_defs)*
            Ok(module)
        }

        /// Defines everything: the module, then each class.
        pub fn init(ruby: &::rr_glue::magnus::Ruby) -> ::std::result::Result<::rr_glue::magnus::RModule, ::rr_glue::magnus::Error> {
            let module = define_top_module(ruby)?;
            #(#class_defs)*
            Ok(module)
        }

        #(#fn_glue)*
        #(#classes)*

        #[allow(dead_code)]
        fn __rr_top_module_impl_is(_: &crate::#module_impl) where crate::#module_impl: #module_trait {}
    }
}

struct Cx<'a> {
    api: &'a Api,
    thread_safe: String,
}

fn errors(api: &Api) -> TokenStream {
    let names: Vec<Ident> = api.module.errors.iter().map(|e| ident(&e.name)).collect();
    let count = names.len();
    let docs = api
        .module
        .errors
        .iter()
        .map(|e| doc_attr(&format!("`{}::{}` < `{}`: {}", api.module.name, e.name, e.parent, e.doc)));
    let defines = api.module.errors.iter().map(|e| {
        let name = &e.name;
        let parent = if e.parent == "StandardError" {
            quote! { ruby.exception_standard_error() }
        } else if e.parent == "::RuntimeError" {
            quote! { ruby.exception_runtime_error() }
        } else {
            let index = api.module.errors.iter().position(|x| x.name == e.parent).unwrap_or(0);
            quote! { classes[#index] }
        };
        let readers = e.attributes.iter().map(|a| {
            let attr = &a.name;
            quote! { class.funcall::<_, _, ::rr_glue::magnus::Value>("attr_reader", (ruby.to_symbol(#attr),))?; }
        });
        quote! {
            let class = module.define_error(#name, #parent)?;
            #(#readers)*
            ::rr_glue::magnus::gc::register_mark_object(class);
            classes.push(class);
        }
    });
    quote! {
        /// The module's error classes, created once by `define_errors`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum ErrorClass { #(#docs #names),* }

        static ERROR_CLASSES: ::std::sync::OnceLock<::std::vec::Vec<::rr_glue::magnus::value::Opaque<::rr_glue::magnus::ExceptionClass>>> =
            ::std::sync::OnceLock::new();

        impl ErrorClass {
            /// The Ruby class (StandardError before `define_errors` ran).
            pub fn class(self, ruby: &::rr_glue::magnus::Ruby) -> ::rr_glue::magnus::ExceptionClass {
                match ERROR_CLASSES.get().and_then(|c| c.get(self as usize)) {
                    Some(class) => ruby.get_inner(*class),
                    None => ruby.exception_standard_error(),
                }
            }
            /// An error of this class with `message`.
            pub fn error(self, ruby: &::rr_glue::magnus::Ruby, message: impl Into<::std::borrow::Cow<'static, str>>) -> ::rr_glue::magnus::Error {
                ::rr_glue::magnus::Error::new(self.class(ruby), message)
            }
        }

        /// Creates the error classes under `module`, parents first (pinned: they never move).
        pub fn define_errors(ruby: &::rr_glue::magnus::Ruby, module: ::rr_glue::magnus::RModule) -> ::std::result::Result<(), ::rr_glue::magnus::Error> {
            use ::rr_glue::magnus::prelude::*;
            if ERROR_CLASSES.get().is_some() {
                return Ok(());
            }
            let mut classes: ::std::vec::Vec<::rr_glue::magnus::ExceptionClass> = ::std::vec::Vec::with_capacity(#count);
            #(#defines)*
            let _ = ERROR_CLASSES.set(classes.into_iter().map(::rr_glue::magnus::value::Opaque::from).collect());
            Ok(())
        }
    }
}

impl Cx<'_> {
    fn class(&self, c: &Class) -> TokenStream {
        let name = &c.name;
        let trait_name = format_ident!("{}Api", c.name);
        let rust_type = format_ident!("{}", c.name);
        let define = format_ident!("define_{}", snake(&c.name));
        let doc = doc_attr(&format!(
            "`{}::{}`, implemented by `crate::{}`.\n\n{}",
            self.api.module.name, c.name, c.name, c.doc
        ));
        let owner_hook = c.methods.iter().any(|m| m.threading == Threading::Owner).then(|| {
            quote! {
                /// The thread that owns this object (for `threading: owner`
                /// methods); None when any thread may use it.
                fn guard_owner_thread(&self) -> ::std::option::Option<::rr_glue::ThreadToken>;
            }
        });
        let disposed_hook = c.disposable.then(|| {
            quote! {
                /// Whether this object is disposed (checked before every method not marked allow_disposed).
                fn guard_is_disposed(&self) -> bool;
            }
        });
        // Methods written in Ruby have no glue (only RBS).
        let native = || c.methods.iter().filter(|m| m.ruby.is_none());
        let sigs = native().map(|m| self.trait_method(m, Some(c)));
        let glue = native().map(|m| self.glue(m, Some(c)));
        let defs = native().map(|m| {
            let name = &m.name;
            let glue = glue_name(Some(c), m);
            if m.singleton {
                quote! { class.define_singleton_method(#name, ::rr_glue::magnus::method!(#glue, -1))?; }
            } else {
                quote! { class.define_method(#name, ::rr_glue::magnus::method!(#glue, -1))?; }
            }
        });
        let define_doc = format!("Defines `{}::{name}` under `module`.", self.api.module.name);
        let guard = self.guard(c);
        let impl_check = format_ident!("__rr_{}_impl_is", snake(&c.name));
        quote! {
            #doc
            pub trait #trait_name: Sized + ::rr_glue::magnus::TypedData {
                #owner_hook
                #disposed_hook
                #(#sigs)*
            }

            #[doc = #define_doc]
            pub fn #define(ruby: &::rr_glue::magnus::Ruby, module: ::rr_glue::magnus::RModule) -> ::std::result::Result<::rr_glue::magnus::RClass, ::rr_glue::magnus::Error> {
                use ::rr_glue::magnus::prelude::*;
                let class = module.define_class(#name, ruby.class_object())?;
                class.undef_default_alloc_func();
                #(#defs)*
                Ok(class)
            }

            #guard
            #(#glue)*

            #[allow(dead_code)]
            fn #impl_check(_: &crate::#rust_type) where crate::#rust_type: #trait_name {}
        }
    }

    /// The checks every glue function of class `c` runs before its
    /// arguments: owner thread (WrongThreadError), then disposal
    /// (DisposedError). None when the class needs neither.
    fn guard(&self, c: &Class) -> Option<TokenStream> {
        let has_owner = c.methods.iter().any(|m| m.threading == Threading::Owner && !m.singleton);
        if !has_owner && !c.disposable {
            return None;
        }
        let name = guard_name(c);
        let t = format_ident!("{}", c.name);
        let tr = format_ident!("{}Api", c.name);
        let doc = format!("The owner-thread and disposed checks of `{}::{}` methods.", self.api.module.name, c.name);
        let owner_check = has_owner.then(|| {
            let thread_safe = &self.thread_safe;
            quote! {
                if owner && <crate::#t as #tr>::guard_owner_thread(rb_self).is_some_and(|t| t != ::rr_glue::current_thread()) {
                    return Err(::rr_glue::wrong_thread(ErrorClass::WrongThreadError.class(ruby), method, #thread_safe));
                }
            }
        });
        let disposed_check = c.disposable.then(|| {
            let what = match &c.disposed_with {
                Some(w) => format!("this {} (or its {w})", c.name),
                None => format!("this {}", c.name),
            };
            quote! {
                if disposed && <crate::#t as #tr>::guard_is_disposed(rb_self) {
                    return Err(::rr_glue::disposed(ErrorClass::DisposedError.class(ruby), method, #what));
                }
            }
        });
        Some(quote! {
            #[doc = #doc]
            #[inline]
            #[allow(unused_variables)]
            fn #name(
                ruby: &::rr_glue::magnus::Ruby,
                rb_self: &crate::#t,
                method: &str,
                owner: bool,
                disposed: bool,
            ) -> ::std::result::Result<(), ::rr_glue::magnus::Error> {
                #owner_check
                #disposed_check
                Ok(())
            }
        })
    }

    /// A trait method's signature, with the IDL doc.
    fn trait_method(&self, m: &Method, class: Option<&Class>) -> TokenStream {
        let name = ident(&m.rust_name());
        let mut doc = format!("`{}`", self.signature(m, class));
        doc.push_str(&format!(
            " ({} thread)\n\n{}",
            if m.threading == Threading::Owner { "owner" } else { "any" },
            m.doc
        ));
        if !m.raises.is_empty() {
            doc.push_str(&format!("\n\nRaises: {}.", m.raises.join(", ")));
        }
        let doc = doc_attr(&doc);
        let receiver = (!m.singleton && class.is_some()).then(|| quote! { &self, });
        let params = m.args.iter().chain(&m.kwargs).map(|a| {
            let n = ident(&a.name);
            let t = self.param_type(a);
            quote! { #n: #t }
        });
        let block = m.block.as_ref().map(|b| {
            if b.required {
                quote! { block: ::rr_glue::magnus::block::Proc }
            } else {
                quote! { block: ::std::option::Option<::rr_glue::magnus::block::Proc> }
            }
        });
        let ret = self.return_type(m, class);
        quote! {
            #doc
            #[allow(clippy::too_many_arguments)]
            fn #name(#receiver ruby: &::rr_glue::magnus::Ruby, #(#params,)* #block) -> ::std::result::Result<#ret, ::rr_glue::magnus::Error>;
        }
    }

    fn glue(&self, m: &Method, class: Option<&Class>) -> TokenStream {
        let glue = glue_name(class, m);
        let owner = match class {
            Some(c) => format!("{}::{}", self.api.module.name, c.name),
            None => self.api.module.name.clone(),
        };
        let qualified = match class {
            Some(_) => m.qualified(&owner),
            None => format!("{owner}.{}", m.name),
        };
        let (receiver, call_target) = match class {
            Some(c) => {
                let t = format_ident!("{}", c.name);
                let tr = format_ident!("{}Api", c.name);
                if m.singleton {
                    (quote! { rb_self: ::rr_glue::magnus::RClass, }, quote! { <crate::#t as #tr> })
                } else if m.returns == Type::Receiver {
                    // The object itself, to return it.
                    (
                        quote! { rb_self_obj: ::rr_glue::magnus::typed_data::Obj<crate::#t>, },
                        quote! { <crate::#t as #tr> },
                    )
                } else {
                    (quote! { rb_self: &crate::#t, }, quote! { <crate::#t as #tr> })
                }
            }
            None => {
                let t = format_ident!("{}", self.api.module.name);
                let tr = format_ident!("{}Api", self.api.module.name);
                (quote! {}, quote! { <crate::#t as #tr> })
            }
        };

        let checks = match (class, m.singleton) {
            (Some(c), false) => {
                let owner = m.threading == Threading::Owner;
                let disposed = c.disposable && !m.allow_disposed;
                let guard = guard_name(c);
                (owner || disposed).then(|| quote! { #guard(ruby, rb_self, METHOD, #owner, #disposed)?; })
            }
            _ => None,
        };

        let takes_keywords = !m.kwargs.is_empty();
        let (required, max) = m.positional_range();
        let max = match max {
            Some(n) => quote! { ::std::option::Option::Some(#n) },
            None => quote! { ::std::option::Option::None },
        };
        let names: Vec<&str> = m.args.iter().map(|a| a.name.as_str()).collect();
        let mut convert = TokenStream::new();
        for (i, a) in m.args.iter().enumerate() {
            let n = ident(&a.name);
            let t = self.param_type(a);
            let name = &a.name;
            convert.extend(match &a.kind {
                ArgKind::Required => quote! { let #n: #t = ::rr_glue::arg(ruby, METHOD, #name, call.args[#i])?; },
                ArgKind::Optional(lit) => {
                    let default = default_value(lit, &a.ty);
                    quote! {
                        let #n: #t = ::rr_glue::arg_or(ruby, METHOD, #name, call.args.get(#i).copied(), || #default)?;
                    }
                }
                // Objects need no conversion: the method borrows Ruby's own argument list.
                ArgKind::Splat if a.ty == Type::Object => quote! { let #n: #t = &call.args[#i.min(call.args.len())..]; },
                ArgKind::Splat => quote! { let #n: #t = ::rr_glue::rest(ruby, METHOD, #name, &call.args[#i.min(call.args.len())..])?; },
            });
        }
        let keywords = takes_keywords.then(|| {
            let slots: Vec<Ident> = m.kwargs.iter().map(|k| format_ident!("kw_{}", k.name)).collect();
            let names: Vec<&str> = m.kwargs.iter().map(|k| k.name.as_str()).collect();
            let required: Vec<bool> = m.kwargs.iter().map(|k| k.kind == ArgKind::Required).collect();
            let converts = m.kwargs.iter().zip(&slots).map(|(k, slot)| {
                let n = ident(&k.name);
                let t = self.param_type(k);
                let name = &k.name;
                match &k.kind {
                    ArgKind::Optional(lit) => {
                        let default = default_value(lit, &k.ty);
                        quote! { let #n: #t = ::rr_glue::arg_or(ruby, METHOD, #name, #slot, || #default)?; }
                    }
                    // `keywords` raised already if a required keyword is missing.
                    _ => quote! { let #n: #t = ::rr_glue::required_keyword(ruby, METHOD, #name, #slot)?; },
                }
            });
            quote! {
                let [#(#slots),*] = ::rr_glue::keywords(ruby, METHOD, call.keywords, [#(#names),*], [#(#required),*])?;
                #(#converts)*
            }
        });
        let block = m.block.as_ref().map(|b| {
            if b.required {
                quote! { let block = ::rr_glue::required_block(ruby, METHOD)?; }
            } else {
                quote! { let block = ::rr_glue::block(ruby, METHOD)?; }
            }
        });
        let arg_names = m.args.iter().chain(&m.kwargs).map(|a| ident(&a.name));
        let block_arg = m.block.as_ref().map(|_| quote! { block });
        let fn_name = ident(&m.rust_name());
        let self_arg = (class.is_some() && !m.singleton).then(|| quote! { rb_self, });
        let is_constructor = m.singleton && matches!((&m.returns, class), (Type::Class(r), Some(c)) if *r == c.name);
        let class_type = format_ident!("{}", class.map_or("Self", |c| c.name.as_str()));
        let receiver_value =
            (m.returns == Type::Receiver).then(|| quote! { let rb_self: &crate::#class_type = &rb_self_obj; });
        let finish = if is_constructor {
            quote! { Ok(::rr_glue::IntoRuby::into_ruby(ruby.obj_wrap_as(result, rb_self), ruby)) }
        } else if m.returns == Type::Receiver {
            quote! { let () = result; Ok(::rr_glue::magnus::value::ReprValue::as_value(rb_self_obj)) }
        } else {
            quote! { Ok(::rr_glue::IntoRuby::into_ruby(result, ruby)) }
        };
        let doc = format!("Glue for `{qualified}`.");
        quote! {
            #[doc = #doc]
            fn #glue(ruby: &::rr_glue::magnus::Ruby, #receiver args: &[::rr_glue::magnus::Value]) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
                const METHOD: &str = #qualified;
                #receiver_value
                #checks
                let call = ::rr_glue::positional(args, #takes_keywords);
                ::rr_glue::check_arity(ruby, METHOD, call.args.len(), &[#(#names),*], #required, #max)?;
                #keywords
                #convert
                #block
                let result = #call_target::#fn_name(#self_arg ruby, #(#arg_names,)* #block_arg)?;
                #finish
            }
        }
    }

    /// The Ruby-side signature, for docs: `eval(source, filename: "<eval>")`.
    fn signature(&self, m: &Method, class: Option<&Class>) -> String {
        let owner = match class {
            Some(c) => c.name.clone(),
            None => self.api.module.name.clone(),
        };
        let mut parts: Vec<String> = m
            .args
            .iter()
            .map(|a| match &a.kind {
                ArgKind::Required => a.name.clone(),
                ArgKind::Optional(l) => format!("{} = {}", a.name, ruby_literal(l)),
                ArgKind::Splat => format!("*{}", a.name),
            })
            .collect();
        parts.extend(m.kwargs.iter().map(|k| match &k.kind {
            ArgKind::Optional(l) => format!("{}: {}", k.name, ruby_literal(l)),
            _ => format!("{}:", k.name),
        }));
        if m.block.is_some() {
            parts.push("&block".into());
        }
        let sep = if m.singleton || class.is_none() { "." } else { "#" };
        format!("{owner}{sep}{}({}) -> {}", m.name, parts.join(", "), m.returns)
    }

    fn param_type(&self, a: &Arg) -> TokenStream {
        let t = rust_type(&a.ty);
        match a.kind {
            ArgKind::Splat if a.ty == Type::Object => quote! { &[#t] },
            ArgKind::Splat => quote! { ::std::vec::Vec<#t> },
            _ => t,
        }
    }

    fn return_type(&self, m: &Method, class: Option<&Class>) -> TokenStream {
        match (&m.returns, class) {
            (Type::Class(r), Some(c)) if m.singleton && *r == c.name => quote! { Self },
            (t, _) => rust_type(t),
        }
    }
}

fn rust_type(t: &Type) -> TokenStream {
    match t {
        Type::String => quote! { ::std::string::String },
        Type::Binary => quote! { ::rr_glue::Binary },
        Type::Integer => quote! { i64 },
        Type::Float => quote! { f64 },
        Type::Boolean => quote! { bool },
        Type::Symbol => quote! { ::rr_glue::SymbolName },
        Type::Object => quote! { ::rr_glue::magnus::Value },
        Type::Callable => quote! { ::rr_glue::Callable },
        Type::Nil | Type::Receiver => quote! { () },
        Type::Array(e) => {
            let e = rust_type(e);
            quote! { ::std::vec::Vec<#e> }
        }
        Type::Hash(k, v) => {
            let (k, v) = (rust_type(k), rust_type(v));
            quote! { ::rr_glue::Pairs<#k, #v> }
        }
        Type::Nilable(inner) => {
            let inner = rust_type(inner);
            quote! { ::std::option::Option<#inner> }
        }
        Type::Enum(name) => {
            let name = ident(name);
            quote! { #name }
        }
        Type::Class(name) => {
            let name = ident(name);
            quote! { ::rr_glue::magnus::typed_data::Obj<crate::#name> }
        }
    }
}

/// A default, as an expression of the parameter's Rust type.
fn default_value(lit: &Literal, ty: &Type) -> TokenStream {
    match (lit, ty) {
        (Literal::Nil, Type::Object) => quote! { ::rr_glue::IntoRuby::into_ruby((), ruby) },
        (Literal::Nil, _) => quote! { ::std::option::Option::None },
        (lit, Type::Nilable(inner)) => {
            let v = default_value(lit, inner);
            quote! { ::std::option::Option::Some(#v) }
        }
        (lit, Type::Object) => {
            let v = literal_value(lit, ty);
            quote! { ::rr_glue::IntoRuby::into_ruby(#v, ruby) }
        }
        (lit, ty) => literal_value(lit, ty),
    }
}

/// A literal as a Rust value of the IDL type (`Object` gets its natural type).
fn literal_value(lit: &Literal, ty: &Type) -> TokenStream {
    match (lit, ty) {
        (Literal::Sym(s), Type::Enum(name)) => {
            let e = ident(name);
            let v = ident(&camel(s));
            quote! { #e::#v }
        }
        (Literal::Sym(s), _) => quote! { ::rr_glue::SymbolName(::std::string::String::from(#s)) },
        (Literal::Str(s), Type::Binary) => {
            let bytes = proc_macro2::Literal::byte_string(s.as_bytes());
            quote! { ::rr_glue::Binary(#bytes.to_vec()) }
        }
        (Literal::Str(s), _) => quote! { ::std::string::String::from(#s) },
        (Literal::Int(i), Type::Float) => {
            let f = *i as f64;
            quote! { #f }
        }
        (Literal::Int(i), _) => quote! { #i },
        (Literal::Float(f), _) => quote! { #f },
        (Literal::Bool(b), _) => quote! { #b },
        (Literal::Nil, _) => quote! { () },
    }
}

pub(crate) fn ruby_literal(l: &Literal) -> String {
    match l {
        Literal::Nil => "nil".into(),
        Literal::Bool(b) => b.to_string(),
        Literal::Int(i) => i.to_string(),
        Literal::Float(f) => format!("{f:?}"),
        Literal::Str(s) => format!("{s:?}"),
        Literal::Sym(s) => format!(":{s}"),
    }
}

fn guard_name(c: &Class) -> Ident {
    format_ident!("__rr_{}_guard", snake(&c.name))
}

fn glue_name(class: Option<&Class>, m: &Method) -> Ident {
    let owner = class.map(|c| snake(&c.name)).unwrap_or_else(|| "module".into());
    let kind = if m.singleton { "s_" } else { "" };
    format_ident!("__rr_{}_{}{}", owner, kind, m.rust_name())
}

fn doc_attr(text: &str) -> TokenStream {
    let lines = text.trim_end().lines().map(|l| format!(" {l}"));
    quote! { #(#[doc = #lines])* }
}

fn ident(s: &str) -> Ident {
    Ident::new(s, Span::call_site())
}

pub(crate) fn snake(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn camel(s: &str) -> String {
    s.split('_')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut c = p.chars();
            c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
        })
        .collect()
}
