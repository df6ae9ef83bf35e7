//! The small runtime the generated glue calls (see `codegen/README.md`).
//! Everything here checks or converts Ruby values with messages that name
//! the method and the argument; nothing here knows a particular IDL.

mod args;
mod convert;
mod thread;

pub use args::{block, check_arity, disposed, keywords, positional, required_block, wrong_thread, Positional};
pub use convert::{
    arg, arg_or, required_keyword, rest, Binary, Callable, FromArg, IntoRuby, Mismatch, Pairs, SymbolName,
};
pub use thread::{current_thread, ThreadToken};

pub use magnus;
