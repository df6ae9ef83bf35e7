//! V8's bytes behind a header of ours, for the blobs the host stores
//! (code caches, snapshots): a magic, what the blob is, V8's version tag
//! (it hashes V8's version and flags), optionally a hash of the source it
//! was made from, and a hash of V8's bytes. V8's own checks of such blobs
//! are weak (caches) or abort the process (snapshots): a blob whose header
//! does not match is refused here, before V8 sees it.

const MAGIC_LEN: usize = 6;

/// Why a blob was refused.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// Empty, truncated, or not this kind of blob of ours.
    NotOurs,
    /// Made by another V8, or with other V8 flags.
    OtherV8,
    /// Made from another source.
    Stale,
    /// Its bytes do not match their hash.
    Damaged,
}

/// The header's length, with or without a source hash.
pub(crate) fn header_len(with_source_hash: bool) -> usize {
    MAGIC_LEN + 2 + 4 + if with_source_hash { 8 } else { 0 } + 8
}

/// `payload` behind the header.
pub(crate) fn seal(magic: &[u8; MAGIC_LEN], kind: u8, source_hash: Option<u64>, payload: &[u8]) -> Vec<u8> {
    let mut blob = Vec::with_capacity(header_len(source_hash.is_some()) + payload.len());
    blob.extend_from_slice(magic);
    blob.extend_from_slice(&[kind, 1]);
    blob.extend_from_slice(&v8::script_compiler::cached_data_version_tag().to_le_bytes());
    if let Some(source_hash) = source_hash {
        blob.extend_from_slice(&source_hash.to_le_bytes());
    }
    blob.extend_from_slice(&crate::cache::hash(payload).to_le_bytes());
    blob.extend_from_slice(payload);
    blob
}

/// The payload `seal` put in `blob`, if its header fits (the same magic,
/// kind and source hash, this V8 with these flags, undamaged bytes).
pub(crate) fn unseal<'a>(
    magic: &[u8; MAGIC_LEN],
    kind: u8,
    source_hash: Option<u64>,
    blob: &'a [u8],
) -> Result<&'a [u8], Refusal> {
    let header = header_len(source_hash.is_some());
    if blob.len() <= header || &blob[..MAGIC_LEN] != magic || blob[MAGIC_LEN..MAGIC_LEN + 2] != [kind, 1] {
        return Err(Refusal::NotOurs);
    }
    let mut at = MAGIC_LEN + 2;
    let mut take = |len: usize| {
        let mut word = [0u8; 8];
        word[..len].copy_from_slice(&blob[at..at + len]);
        at += len;
        u64::from_le_bytes(word)
    };
    if take(4) != u64::from(v8::script_compiler::cached_data_version_tag()) {
        return Err(Refusal::OtherV8);
    }
    if source_hash.is_some_and(|expected| take(8) != expected) {
        return Err(Refusal::Stale);
    }
    let payload_hash = take(8);
    let payload = &blob[header..];
    if payload_hash != crate::cache::hash(payload) {
        return Err(Refusal::Damaged);
    }
    Ok(payload)
}
