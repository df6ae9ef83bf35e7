/// Splits a plain dotted path of JS identifiers ("math.addBase"). Anything
/// else (brackets, calls, spaces, empty parts) is refused, so a path is
/// looked up, never evaluated.
pub fn parse_path(path: &str) -> Option<Vec<&str>> {
    let parts: Vec<&str> = path.split('.').collect();
    let ident = |p: &str| {
        let mut chars = p.chars();
        matches!(chars.next(), Some(c) if c.is_alphabetic() || c == '_' || c == '$')
            && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '$')
    };
    parts.iter().all(|p| ident(p)).then_some(parts)
}
