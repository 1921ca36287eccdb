// Package exports writes customer lists that campaign tools import as they
// are: Klaviyo and Mailchimp lists, a Shopify customers CSV with tags, and
// Google Customer Match and Meta custom audience files of SHA-256 hashed,
// normalised emails, plus the tags each customer lost since the previous
// run. Only customers who accept marketing and have an email are exported.
//
// Errors are I/O errors, prefixed "exports: ". Nothing panics on data.
package exports
