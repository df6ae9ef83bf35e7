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

#[cfg(test)]
mod tests {
    use super::parse_path;

    #[test]
    fn accepts_dotted_identifiers_only() {
        assert_eq!(parse_path("math.addBase"), Some(vec!["math", "addBase"]));
        assert_eq!(parse_path("$a._b1"), Some(vec!["$a", "_b1"]));
        for bad in ["", "a.", ".a", "a..b", "a[0]", "f()", "a b", "1a", "a;b", "globalThis['x']"] {
            assert_eq!(parse_path(bad), None, "{bad}");
        }
    }
}
