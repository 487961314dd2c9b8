//! The access log as CSV, headed and footed by the security marking.

use plan::access_log::AccessEntry;

/// One row per entry: when, who, agency, session, plan, what, detail, for
/// whom, basis, granted, address, user agent.
pub fn to_csv(marking: &str, entries: &[AccessEntry]) -> String {
    let header = "when,who,user_id,agency,session,plan,what,detail,recipients,basis,granted,address,user_agent";
    let rows = entries.iter().map(|e| {
        [
            e.at.to_rfc3339(),
            e.user_name.clone(),
            e.user.to_string(),
            e.agency.clone(),
            e.session.clone(),
            e.plan.map(|p| p.to_string()).unwrap_or_default(),
            e.kind.label().to_string(),
            e.detail.clone(),
            e.recipients.clone(),
            e.basis.clone(),
            if e.granted { "yes" } else { "no" }.to_string(),
            e.address.clone().unwrap_or_default(),
            e.user_agent.clone().unwrap_or_default(),
        ]
    });
    plan::csv::marked(marking, header, rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use plan::access_log::AccessKind;
    use uuid::Uuid;

    #[test]
    fn an_entry_is_one_row_between_the_markings_with_formulas_defused() {
        let entry = AccessEntry {
            at: "2026-12-07T10:00:00Z".parse().unwrap(),
            user: Uuid::nil(),
            user_name: "=cmd|' /C calc'!A0".into(),
            agency: "Northshire Council".into(),
            session: "0a1b".into(),
            plan: None,
            kind: AccessKind::PortfolioExported,
            detail: String::new(),
            recipients: "Legal, \"team\"".into(),
            basis: "strategic lead".into(),
            granted: true,
            address: Some("10.0.0.7".into()),
            user_agent: None,
        };
        let csv = to_csv("OFFICIAL-SENSITIVE", &[entry]);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[0], "OFFICIAL-SENSITIVE");
        assert!(lines[2].contains(r#""'=cmd|' /C calc'!A0""#), "{}", lines[2]);
        assert!(lines[2].contains(r#""Legal, ""team""""#), "{}", lines[2]);
        assert_eq!(lines[3], "OFFICIAL-SENSITIVE");
    }
}
