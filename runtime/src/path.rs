/// Whether `path` is a plain dotted path of JS identifiers (no allocation).
pub fn is_plain_path(path: &str) -> bool {
    path.split('.').all(is_identifier)
}

fn is_identifier(part: &str) -> bool {
    let mut chars = part.chars();
    matches!(chars.next(), Some(c) if c.is_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '$')
}

/// Splits a plain dotted path of JS identifiers ("math.addBase"). Anything
/// else (brackets, calls, spaces, empty parts) is refused, so a path is
/// looked up, never evaluated.
pub fn parse_path(path: &str) -> Option<Vec<&str>> {
    is_plain_path(path).then(|| path.split('.').collect())
}
