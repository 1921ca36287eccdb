package config

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// wholeNumbers returns an error naming the first number with a fraction
// given for a key that takes a whole number (k_max: 5.7; 5.0 is 5):
// yaml.v3 decodes it into an int by dropping the fraction, and a typo must not change a
// scheduled run without a word. n is the document, t the type it is
// decoded into.
func wholeNumbers(n *yaml.Node, t reflect.Type, key string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n.Kind == yaml.DocumentNode {
		for _, c := range n.Content {
			if err := wholeNumbers(c, t, key); err != nil {
				return err
			}
		}
		return nil
	}
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!float" {
			// 8.0 is 8, as k takes it; 5.7 is no whole number.
			if v, err := strconv.ParseFloat(n.Value, 64); err != nil || v != math.Trunc(v) {
				return fmt.Errorf("line %d: %s: want a whole number, got %s", n.Line, key, n.Value)
			}
		}
	case reflect.Slice, reflect.Array:
		if n.Kind == yaml.SequenceNode {
			for _, c := range n.Content {
				if err := wholeNumbers(c, t.Elem(), key); err != nil {
					return err
				}
			}
		}
	case reflect.Map:
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				if err := wholeNumbers(n.Content[i+1], t.Elem(), key+"."+n.Content[i].Value); err != nil {
					return err
				}
			}
		}
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return nil
		}
		fields := map[string]reflect.Type{}
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if name != "" && name != "-" {
				fields[name] = f.Type
			}
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			ft, ok := fields[k]
			if !ok {
				continue // an unknown key is the decoder's error
			}
			sub := k
			if key != "" {
				sub = key + "." + k
			}
			if err := wholeNumbers(n.Content[i+1], ft, sub); err != nil {
				return err
			}
		}
	}
	return nil
}
