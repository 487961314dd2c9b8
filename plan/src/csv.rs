//! CSV for exports a spreadsheet will open: every field quoted, and a value
//! a spreadsheet would run as a formula defused.

/// Quotes a CSV field; a leading `=`, `+`, `-`, `@`, tab or carriage return
/// is defused with a leading `'` so a spreadsheet shows it as text instead
/// of running it as a formula (OWASP "CSV injection").
pub fn field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    format!("\"{}\"", value.replace('"', "\"\""))
}

/// One CSV line (with its newline) from its fields.
pub fn row<I, S>(fields: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut line = fields
        .into_iter()
        .map(|f| field(f.as_ref()))
        .collect::<Vec<_>>()
        .join(",");
    line.push('\n');
    line
}

/// A whole export: the marking, the header line, one line per row, and the
/// marking again, so a page printed from either end carries it.
pub fn marked<R, I, S>(marking: &str, header: &str, rows: R) -> String
where
    R: IntoIterator<Item = I>,
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut out = format!("{marking}\n{header}\n");
    for fields in rows {
        out.push_str(&row(fields));
    }
    out.push_str(marking);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_and_quotes_doubled() {
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("@SUM(A1)"), "\"'@SUM(A1)\"");
        assert_eq!(field("\t=1"), "\"'\t=1\"");
        assert_eq!(field("-2+3"), "\"'-2+3\"");
        assert_eq!(field("County Lines"), "\"County Lines\"");
        assert_eq!(row(["a", "=b"]), "\"a\",\"'=b\"\n");
    }

    #[test]
    fn an_export_is_headed_and_footed_by_its_marking() {
        let rows = [["1", "=2"]];
        assert_eq!(
            marked("OFFICIAL-SENSITIVE", "a,b", rows),
            "OFFICIAL-SENSITIVE\na,b\n\"1\",\"'=2\"\nOFFICIAL-SENSITIVE\n"
        );
    }
}
