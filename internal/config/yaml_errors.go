package config

import (
	"cmp"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

// yamlError rewrites the YAML decoder's type errors for a person, on one
// line: an unknown key names the keys its section takes, a value of the
// wrong kind says what was wanted, without Go's type names. Other errors
// are returned as they are.
func yamlError(err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return err
	}
	msgs := make([]string, len(te.Errors))
	for i, m := range te.Errors {
		msgs[i] = yamlMessage(m)
	}
	return errors.New(strings.Join(msgs, "; "))
}

var (
	unknownField = regexp.MustCompile(`^(line \d+): field (\S+) not found in type (\S+)$`)
	wrongKind    = regexp.MustCompile("^(line \\d+): cannot unmarshal !!(\\w+)(?: `(.*)`)? into (\\S+)$")
)

// yamlMessage rewrites one message of a yaml.TypeError.
func yamlMessage(m string) string {
	if g := unknownField.FindStringSubmatch(m); g != nil {
		if keys := sectionKeys()[g[3]]; len(keys) > 0 {
			return fmt.Sprintf("%s: unknown key %q (here: %s)", g[1], g[2], strings.Join(keys, ", "))
		}
		return fmt.Sprintf("%s: unknown key %q", g[1], g[2])
	}
	if g := wrongKind.FindStringSubmatch(m); g != nil {
		got := map[string]string{"str": "text", "int": "a number", "float": "a number", "bool": "true or false",
			"seq": "a list", "map": "a mapping", "null": "nothing"}[g[2]]
		if g[3] != "" {
			got = fmt.Sprintf("%q", g[3])
		}
		return fmt.Sprintf("%s: %s where %s is wanted", g[1], cmp.Or(got, "a value"), kindWanted(g[4]))
	}
	return m
}

// kindWanted says what a Go type of the config file takes.
func kindWanted(goType string) string {
	switch {
	case strings.HasPrefix(goType, "[]"):
		return "a list"
	case strings.HasPrefix(goType, "map["):
		return "a mapping of keys to values"
	case strings.HasPrefix(goType, "int"), strings.HasPrefix(goType, "uint"):
		return "a whole number"
	case strings.HasPrefix(goType, "float"):
		return "a number"
	case goType == "bool":
		return "true or false"
	case goType == "string":
		return "text"
	case goType == "config.StringList":
		return "a list or one value"
	}
	if keys := sectionKeys()[goType]; len(keys) > 0 {
		return "a section of keys (" + strings.Join(keys, ", ") + ")"
	}
	return "another kind of value"
}

// sectionKeys maps each struct type of the config file (by its Go name,
// as the decoder's messages give it: config.Orders) to its keys.
var sectionKeys = sync.OnceValue(func() map[string][]string {
	keys := map[string][]string{}
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
			t = t.Elem()
		}
		// The config file's own sections only, each once.
		if t.Kind() != reflect.Struct || t.PkgPath() != reflect.TypeFor[File]().PkgPath() || seen[t] {
			return
		}
		seen[t] = true
		var names []string
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if name == "" || name == "-" || !f.IsExported() {
				continue
			}
			names = append(names, name)
		}
		keys[t.String()] = names
		for i := range t.NumField() {
			walk(t.Field(i).Type)
		}
	}
	walk(reflect.TypeFor[File]())
	for t, names := range keys {
		if len(names) == 0 {
			delete(keys, t)
		}
		slices.Sort(names)
	}
	return keys
})
