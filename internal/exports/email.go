package exports

import (
	"net/mail"
	"strings"
)

// InvalidEmailsFile lists the contacts whose email cannot be exported:
// customer_id, email (as in the customers table) and reason.
const InvalidEmailsFile = "invalid_emails.csv"

// EmailProblem returns why s, an email from the customers table, cannot be
// exported, or "" when it can. Surrounding spaces are ignored and an empty
// email is no problem here (the contact has no email). An email must be a
// bare address as net/mail parses it (RFC 5322 addr-spec): no display name,
// angle brackets or comment ("Ana <ana@shop.com>" is refused), and its
// domain must have a dot between non-empty labels, as every address a
// campaign tool delivers to has ("ana@localhost" is refused).
func EmailProblem(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	a, err := mail.ParseAddress(s)
	if err != nil {
		return "not an email address: " + strings.TrimPrefix(err.Error(), "mail: ")
	}
	if a.Name != "" || a.Address != s {
		return "not a bare address: has a display name, angle brackets or a comment (want only " + a.Address + ")"
	}
	at := strings.LastIndexByte(a.Address, '@')
	domain := a.Address[at+1:]
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || strings.Contains(domain, "..") {
		return "domain " + domain + " is not a full internet domain (no dot)"
	}
	return ""
}
