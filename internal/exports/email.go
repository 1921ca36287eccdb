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
	if s == "" || plainAddress(s) {
		return ""
	}
	return parsedEmailProblem(s)
}

// parsedEmailProblem is EmailProblem of s, trimmed and not empty, by
// net/mail.
func parsedEmailProblem(s string) string {
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

// plainAddress reports whether s is an address of the plainest form, for
// which EmailProblem needs no parser (net/mail's costs a few allocations,
// and the exports check every customer's email): a local part and a
// domain of ASCII letters, digits and a few symbols (the local part also
// ._%+-, the domain -) in dot-separated non-empty labels, with a dot in
// the domain. net/mail reads every such address as a bare addr-spec equal
// to s with a domain EmailProblem accepts (TestPlainAddress); anything
// else goes to the parser.
func plainAddress(s string) bool {
	at := strings.IndexByte(s, '@')
	if at < 0 {
		return false
	}
	local, domain := s[:at], s[at+1:]
	return plainLabels(local, true) && strings.IndexByte(domain, '.') >= 0 && plainLabels(domain, false)
}

// plainLabels reports whether s is one or more non-empty labels separated
// by single dots, of letters, digits and '-', and with local also '_', '%'
// and '+'.
func plainLabels(s string, local bool) bool {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-':
		case c == '.':
			if s[i-1] == '.' {
				return false
			}
		case local && (c == '_' || c == '%' || c == '+'):
		default:
			return false
		}
	}
	return true
}
