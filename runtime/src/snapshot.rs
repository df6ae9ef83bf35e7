//! Startup snapshots: a heap baked after running code (and evaluating ES
//! modules), booted from by new isolates.
//!
//! A blob handed to the host is V8's behind a header of ours (`sealed.rs`,
//! as caches are): V8's code-cache version tag (it hashes V8's
//! version and flags) and a hash of V8's bytes. V8's own check of a blob is
//! a CHECK that aborts the process, and it verifies no checksum in release
//! builds, so a blob is checked here before V8 sees it.

use std::collections::HashMap;

use crate::error::{ErrorKind, JsError};
use crate::exception::js_error;
use crate::sealed::Refusal;

const MAGIC: &[u8; 6] = b"RRSNAP";

/// A checked snapshot: V8's bytes, ready to boot from.
#[derive(Clone)]
pub struct Snapshot {
    v8_bytes: std::sync::Arc<Vec<u8>>,
}

impl std::fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Snapshot({} bytes)", self.size())
    }
}

fn error(message: impl Into<String>) -> JsError {
    JsError::new(ErrorKind::Usage, message)
}

/// What to bake: code run in the default context, then ES modules (by
/// specifier) with the entry evaluated.
#[derive(Default)]
pub struct Recipe<'a> {
    pub code: &'a str,
    pub modules: &'a [(String, String)],
    pub entry: Option<&'a str>,
}

impl Snapshot {
    /// Bakes a heap after `recipe` ran. A JS failure is the error (with the
    /// JS error's message and frames).
    pub fn create(recipe: &Recipe<'_>) -> Result<Snapshot, JsError> {
        if let Some(entry) = recipe.entry {
            if !recipe.modules.iter().any(|(name, _)| name == entry) {
                return Err(error(format!("the entry {entry:?} is not one of the modules")));
            }
        }
        let job = Job {
            base: None,
            code: recipe.code.to_string(),
            modules: recipe.modules.to_vec(),
            entry: recipe.entry.map(str::to_string),
        };
        bake(&job).map(Snapshot::from_v8)
    }

    /// This snapshot with the functions `code` compiles kept compiled; the
    /// heap state `code` leaves is discarded (it runs in a throwaway context).
    pub fn warmed_up(&self, code: &str) -> Result<Snapshot, JsError> {
        let job = Job {
            base: Some(self.v8_bytes.as_ref().clone()),
            code: code.to_string(),
            modules: Vec::new(),
            entry: None,
        };
        bake(&job).map(Snapshot::from_v8)
    }

    fn from_v8(v8_bytes: Vec<u8>) -> Snapshot {
        Snapshot { v8_bytes: std::sync::Arc::new(v8_bytes) }
    }

    /// The blob to store: V8's bytes behind our header.
    pub fn dump(&self) -> Vec<u8> {
        crate::sealed::seal(MAGIC, b'S', None, &self.v8_bytes)
    }

    /// A snapshot from a dumped blob, checked whole before V8 sees it.
    pub fn load(blob: &[u8]) -> Result<Snapshot, JsError> {
        crate::platform::initialize();
        let payload = crate::sealed::unseal(MAGIC, b'S', None, blob).map_err(|refusal| {
            error(match refusal {
                Refusal::OtherV8 => {
                    "the snapshot was made by another V8 or with other V8 flags (Platform.set_flags!); make it again"
                }
                Refusal::Damaged => "the snapshot is damaged (its bytes do not match their hash)",
                Refusal::NotOurs | Refusal::Stale => "not a rusty_racer snapshot (empty, truncated or another format)",
            })
        })?;
        let snapshot = Snapshot::from_v8(payload.to_vec());
        if !snapshot.startup_data().is_valid() {
            return Err(error("V8 does not accept the snapshot (made by another V8 build)"));
        }
        Ok(snapshot)
    }

    /// Bytes of the dumped blob.
    pub fn size(&self) -> usize {
        crate::sealed::header_len(false) + self.v8_bytes.len()
    }

    /// V8's startup data (a copy: each isolate owns the one it boots from).
    pub(crate) fn startup_data(&self) -> v8::StartupData {
        v8::StartupData::from(self.v8_bytes.as_ref().clone())
    }
}

/// What to bake: a base snapshot to warm up (then `code` is the warm-up),
/// or code and modules for a new one. Plain data: it is sent to the
/// process that bakes it.
struct Job {
    base: Option<Vec<u8>>,
    code: String,
    modules: Vec<(String, String)>,
    entry: Option<String>,
}

impl Job {
    fn run_here(&self) -> Result<Vec<u8>, JsError> {
        let base = self.base.as_ref().map(|b| Snapshot::from_v8(b.clone()));
        match &base {
            Some(base) => bake_here(Some(base), |scope| run(scope, &self.code, "<warmup>")),
            None => bake_here(None, |scope| {
                run(scope, &self.code, "<snapshot>")?;
                if let Some(entry) = &self.entry {
                    evaluate_modules(scope, &self.modules, entry)?;
                }
                Ok(())
            }),
        }
    }

    fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut field = |bytes: &[u8]| {
            out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
            out.extend_from_slice(bytes);
        };
        field(self.base.as_deref().unwrap_or_default());
        field(&[u8::from(self.base.is_some()), u8::from(self.entry.is_some())]);
        field(self.code.as_bytes());
        field(self.entry.as_deref().unwrap_or_default().as_bytes());
        field(&(self.modules.len() as u64).to_le_bytes());
        for (name, source) in &self.modules {
            field(name.as_bytes());
            field(source.as_bytes());
        }
        out
    }

    fn decode(mut bytes: &[u8]) -> Option<Job> {
        let mut field = || -> Option<Vec<u8>> {
            let len = u64::from_le_bytes(bytes.get(..8)?.try_into().ok()?) as usize;
            let data = bytes.get(8..8 + len)?.to_vec();
            bytes = &bytes[8 + len..];
            Some(data)
        };
        let base = field()?;
        let flags = field()?;
        let code = String::from_utf8(field()?).ok()?;
        let entry = String::from_utf8(field()?).ok()?;
        let count = u64::from_le_bytes(field()?.try_into().ok()?) as usize;
        let mut modules = Vec::with_capacity(count.min(1 << 16));
        for _ in 0..count {
            modules.push((String::from_utf8(field()?).ok()?, String::from_utf8(field()?).ok()?));
        }
        Some(Job {
            base: (flags.first() == Some(&1)).then_some(base),
            code,
            modules,
            entry: (flags.get(1) == Some(&1)).then_some(entry),
        })
    }
}

/// How to start a process that bakes (`serve_baking` in it), set by the
/// host; without one (the runtime's own tests) snapshots bake in process.
static BAKER: std::sync::Mutex<Option<Vec<String>>> = std::sync::Mutex::new(None);

/// The environment variable that makes a process a baker.
pub const BAKER_ENV: &str = "RUSTY_RACER_BAKE_SNAPSHOT";

/// Bakes snapshots in processes started by `command` (program, then
/// arguments): each must call `serve_baking` as it starts.
pub fn bake_with(command: Vec<String>) {
    *BAKER.lock().unwrap_or_else(|e| e.into_inner()) = Some(command);
}

/// In a process started to bake (`BAKER_ENV` set): reads the job from
/// stdin, bakes it, writes the result to stdout and exits. Otherwise
/// returns at once.
pub fn serve_baking() {
    let Ok(flags) = std::env::var(BAKER_ENV) else { return };
    // SAFETY: asks the kernel to kill this baker when its parent dies (then
    // checks the parent did not die before that was asked).
    unsafe {
        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
        let parent = std::env::var("RUSTY_RACER_BAKE_PARENT").ok().and_then(|p| p.parse::<i32>().ok());
        if parent.is_some_and(|p| p != libc::getppid()) {
            libc::_exit(1);
        }
    }
    let flags: Vec<String> = flags.split('\x1f').filter(|f| !f.is_empty()).map(str::to_string).collect();
    let _ = crate::platform::set_flags(&flags);
    crate::platform::initialize();
    let input = read_all(0);
    let framed = match Job::decode(&input) {
        Some(job) => match job.run_here() {
            Ok(blob) => frame(b'B', &blob),
            Err(e) => frame(if e.kind == ErrorKind::Parse { b'P' } else { b'E' }, e.message.as_bytes()),
        },
        None => frame(b'E', b"the baking process got no job"),
    };
    write_all(1, &framed);
    // SAFETY: ends the baker without returning into its host.
    unsafe { libc::_exit(0) };
}

/// The process baking a snapshot now (0: none), for `cancel_baking`.
static BAKING: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(0);

/// Stops the snapshot being baked (from any thread: a Ruby interrupt's
/// unblocking function); its `create` or `warmed_up` then fails.
pub fn cancel_baking() {
    let pid = BAKING.load(std::sync::atomic::Ordering::SeqCst);
    if pid > 0 {
        // SAFETY: signalling our own child.
        unsafe { libc::kill(pid, libc::SIGKILL) };
    }
}

/// Bakes in a fresh process started by the host's command, so that what
/// V8 cannot serialize — it fails a CHECK and aborts on Intl objects and
/// live FinalizationRegistry registrations in the heap, and on running out
/// of memory — takes that process, not this one, and is reported as an
/// error. (A fork would inherit locks other threads hold in V8; a fresh
/// process has none.) One bake at a time.
fn bake(job: &Job) -> Result<Vec<u8>, JsError> {
    crate::platform::initialize();
    if crate::isolate::thread_has_entered_isolate() {
        return Err(error(
            "a snapshot cannot be made inside an operation of an isolate (a callback): make it after the operation \
             returns",
        ));
    }
    let Some(command) = BAKER.lock().unwrap_or_else(|e| e.into_inner()).clone() else { return job.run_here() };
    static ONE: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one = ONE.lock().unwrap_or_else(|e| e.into_inner());
    // What V8 prints as it stops, for the error: an unnamed temporary file
    // (no name another user could plant a link at).
    // SAFETY: tmpfile() gives an open FILE (or null); its fd is duplicated
    // into a File we own, and the FILE closed.
    let log: Option<std::fs::File> = unsafe {
        let file = libc::tmpfile();
        if file.is_null() {
            None
        } else {
            let fd = libc::dup(libc::fileno(file));
            libc::fclose(file);
            (fd >= 0).then(|| std::os::fd::FromRawFd::from_raw_fd(fd))
        }
    };
    let stderr =
        log.as_ref().and_then(|f| f.try_clone().ok()).map_or_else(std::process::Stdio::null, std::process::Stdio::from);
    let spawned = std::process::Command::new(&command[0])
        .args(&command[1..])
        .env(BAKER_ENV, crate::platform::flags_for_child().join("\x1f") + "\x1f")
        .env("RUSTY_RACER_BAKE_PARENT", std::process::id().to_string())
        // The baker loads only the extension: nothing Ruby would load
        // besides (which might write to its stdout, the blob's way back).
        .env_remove("RUBYOPT")
        .env_remove("RUBYLIB")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(stderr)
        .spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(e) => return Err(error(format!("cannot make a snapshot: the baking process did not start ({e})"))),
    };
    BAKING.store(child.id() as i32, std::sync::atomic::Ordering::SeqCst);
    let output = {
        use std::io::{Read, Write};
        if let Some(mut stdin) = child.stdin.take() {
            let _ = stdin.write_all(&job.encode());
        }
        let mut output = Vec::new();
        if let Some(mut stdout) = child.stdout.take() {
            let _ = stdout.read_to_end(&mut output);
        }
        output
    };
    let status = child.wait();
    BAKING.store(0, std::sync::atomic::Ordering::SeqCst);
    let said = log
        .map(|mut f| {
            use std::io::{Read, Seek};
            let mut text = String::new();
            let _ = f.rewind().and_then(|()| f.read_to_string(&mut text));
            text
        })
        .unwrap_or_default();
    let said = said
        .lines()
        .map(|l| l.trim().trim_start_matches('#').trim())
        .filter(|l| !l.is_empty() && !l.starts_with("====") && !l.contains("[0x") && !l.starts_with('<'))
        .take(2)
        .collect::<Vec<_>>()
        .join("; ");
    let killed = {
        use std::os::unix::process::ExitStatusExt;
        status.as_ref().is_ok_and(|s| s.signal() == Some(libc::SIGKILL))
    };
    match (output.first(), output.get(9..)) {
        (Some(b'B'), Some(blob)) if output.len() == 9 + frame_len(&output) => Ok(blob.to_vec()),
        (Some(kind @ (b'P' | b'E')), Some(message)) => {
            let kind = if *kind == b'P' { ErrorKind::Parse } else { ErrorKind::Usage };
            Err(JsError::new(kind, String::from_utf8_lossy(message).into_owned()))
        }
        _ if killed => Err(error("the snapshot was not made: baking it was interrupted")),
        _ => Err(error(format!(
            "V8 could not bake this heap and stopped (in a separate process, so this one goes on): it cannot \
             serialize Intl objects or FinalizationRegistry registrations left in the heap, nor a heap that ran out \
             of memory; make them on first use instead{}",
            if said.is_empty() { String::new() } else { format!(" (V8 said: {said})") }
        ))),
    }
}

/// `kind`, the length (8 bytes), `data`.
fn frame(kind: u8, data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(9 + data.len());
    out.push(kind);
    out.extend_from_slice(&(data.len() as u64).to_le_bytes());
    out.extend_from_slice(data);
    out
}

fn frame_len(framed: &[u8]) -> usize {
    let mut len = [0u8; 8];
    len.copy_from_slice(&framed[1..9]);
    u64::from_le_bytes(len) as usize
}

fn write_all(fd: i32, mut data: &[u8]) {
    while !data.is_empty() {
        // SAFETY: writing from a live slice.
        let n = unsafe { libc::write(fd, data.as_ptr().cast(), data.len()) };
        if n <= 0 {
            return;
        }
        data = &data[n as usize..];
    }
}

fn read_all(fd: i32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        // SAFETY: reading into a live buffer.
        let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
        if n > 0 {
            out.extend_from_slice(&buf[..n as usize]);
        } else if n == 0 || std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
            return out;
        }
    }
}

/// Runs `body` in the default context of a snapshot creator (from `base`,
/// or V8's own heap) and bakes that context. On failure the creator is
/// still turned into a blob (V8 requires it) and the blob dropped.
fn bake_here(
    base: Option<&Snapshot>,
    body: impl for<'s, 'i> FnOnce(&mut v8::PinScope<'s, 'i>) -> Result<(), JsError>,
) -> Result<Vec<u8>, JsError> {
    let Ok(stack) = crate::stack::in_use() else {
        return Err(error("a snapshot cannot be made on a Fiber's stack off the main thread"));
    };
    let mut creator = match base {
        Some(base) => v8::Isolate::snapshot_creator_from_existing_snapshot(base.startup_data(), None, None),
        None => v8::Isolate::snapshot_creator(None, None),
    };
    let bounds = stack.claim_bounds();
    stack.enter(&mut creator);
    creator.set_microtasks_policy(v8::MicrotasksPolicy::Explicit);
    creator.set_capture_stack_trace_for_uncaught_exceptions(true, 64);
    let outcome = {
        v8::scope!(let scope, &mut creator);
        let outcome = match base {
            // Warm-up: the code runs in a context thrown away; the baked one
            // is fresh from the base snapshot, sharing the compiled code.
            Some(_) => {
                let warm = v8::Context::new(scope, Default::default());
                let outcome = {
                    let scope = &mut v8::ContextScope::new(scope, warm);
                    body(scope)
                };
                let fresh = v8::Context::new(scope, Default::default());
                scope.set_default_context(fresh);
                outcome
            }
            None => {
                let context = v8::Context::new(scope, Default::default());
                let outcome = {
                    let scope = &mut v8::ContextScope::new(scope, context);
                    body(scope)
                };
                scope.set_default_context(context);
                outcome
            }
        };
        outcome
    };
    let blob = creator.create_blob(v8::FunctionCodeHandling::Keep);
    crate::stack::restore_bounds(bounds);
    outcome?;
    let blob = blob.ok_or_else(|| error("V8 could not make the snapshot"))?;
    Ok(blob.to_vec())
}

/// Runs classic script `code`; its completion value is never read.
fn run(scope: &mut v8::PinScope<'_, '_>, code: &str, filename: &str) -> Result<(), JsError> {
    v8::tc_scope!(let tc, scope);
    let script = crate::script::compile::<JsError>(tc, code, filename, &Default::default(), 0).map_err(failed)?;
    let script = script.0.bind_to_current_context(tc);
    if script.run(tc).is_none() {
        return Err(caught(tc));
    }
    tc.perform_microtask_checkpoint();
    if tc.has_caught() {
        return Err(caught(tc));
    }
    Ok(())
}

fn failed(f: crate::error::Failure<JsError>) -> JsError {
    f.into_js_error("the snapshot's code failed")
}

fn caught(tc: &mut v8::PinnedRef<'_, v8::TryCatch<'_, '_, v8::HandleScope<'_>>>) -> JsError {
    match tc.exception() {
        Some(exception) => {
            let message = tc.message();
            js_error(tc, exception, message, ErrorKind::Runtime)
        }
        None => error("the snapshot's code failed without an exception"),
    }
}

/// The modules being baked, by specifier (V8's resolve callback cannot
/// capture them).
struct Baking(HashMap<String, v8::Global<v8::Module>>, HashMap<i32, String>);

/// Compiles every module, links the entry (imports by specifier: "./x"
/// and "../x" relative to the importer's, others as written) and
/// evaluates it, promise jobs included.
fn evaluate_modules(
    scope: &mut v8::PinScope<'_, '_>,
    modules: &[(String, String)],
    entry: &str,
) -> Result<(), JsError> {
    v8::tc_scope!(let tc, scope);
    let mut baking = Baking(HashMap::new(), HashMap::new());
    for (name, source) in modules {
        let code = crate::cache::v8_string(tc, source, "module source")?;
        let filename = crate::cache::v8_string(tc, name, "module name")?;
        let origin = crate::cache::origin(tc, filename, true);
        let mut source = v8::script_compiler::Source::new(code, Some(&origin));
        let Some(module) = v8::script_compiler::compile_module(tc, &mut source) else {
            let exception = tc.exception();
            let message = tc.message();
            return Err(match exception {
                Some(e) => js_error(tc, e, message, ErrorKind::Parse),
                None => error(format!("module {name:?} failed to compile")),
            });
        };
        baking.1.insert(module.get_identity_hash().get(), name.clone());
        baking.0.insert(name.clone(), v8::Global::new(tc, module));
    }
    let main = v8::Local::new(tc, &baking.0[entry]);
    tc.set_slot(baking);
    let linked = main.instantiate_module(tc, resolve_baked);
    tc.remove_slot::<Baking>();
    if linked != Some(true) {
        return Err(caught(tc));
    }
    let Some(value) = main.evaluate(tc) else { return Err(caught(tc)) };
    tc.perform_microtask_checkpoint();
    if let Ok(promise) = v8::Local::<v8::Promise>::try_from(value) {
        match promise.state() {
            v8::PromiseState::Rejected => {
                let reason = promise.result(tc);
                let message = v8::Exception::create_message(tc, reason);
                return Err(js_error(tc, reason, Some(message), ErrorKind::Runtime));
            }
            v8::PromiseState::Pending => {
                return Err(error(format!(
                    "the entry module {entry:?} is still waiting (top-level await) after its promise jobs ran: a \
                     snapshot can only hold settled modules"
                )));
            }
            v8::PromiseState::Fulfilled => {}
        }
    }
    Ok(())
}

fn resolve_baked<'s>(
    context: v8::Local<'s, v8::Context>,
    specifier: v8::Local<'s, v8::String>,
    _attributes: v8::Local<'s, v8::FixedArray>,
    referrer: v8::Local<'s, v8::Module>,
) -> Option<v8::Local<'s, v8::Module>> {
    // SAFETY: V8 calls this with the isolate entered and `context` current.
    v8::callback_scope!(unsafe scope, context);
    let specifier = specifier.to_rust_string_lossy(scope);
    let found = scope.get_slot::<Baking>().and_then(|baking| {
        let referrer = baking.1.get(&referrer.get_identity_hash().get()).cloned().unwrap_or_default();
        let name = relative_to(&referrer, &specifier);
        baking.0.get(&name).map(|m| v8::Local::new(scope, m))
    });
    if found.is_none() {
        let message = format!("cannot resolve module {specifier:?}: it is not among the snapshot's modules");
        crate::exception::throw_error(scope, &message, None);
    }
    found
}

/// `specifier` resolved against the importer's name when it is relative
/// ("./x", "../x"), as a path.
fn relative_to(referrer: &str, specifier: &str) -> String {
    if !(specifier.starts_with("./") || specifier.starts_with("../")) {
        return specifier.to_string();
    }
    let mut parts: Vec<&str> = referrer.split('/').collect();
    parts.pop();
    for part in specifier.split('/') {
        match part {
            "." => {}
            ".." => {
                if parts.len() > 1 || parts.first().is_some_and(|p| !p.is_empty()) {
                    parts.pop();
                }
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}
