package export

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Field is one field of evaluations.json as its schema describes it, for
// the data dictionary of the 数据说明 page.
type Field struct {
	// Path names the field from the document's top:
	// "evaluations[].findings[].deadline"; an element of an array is "[]".
	Path string
	// Type says in Chinese what kind of value it holds: 文本, 数字,
	// 整数, 日期文本, true/false, 代码 (with its values), 数组, 对象.
	Type string
	// Required is true when the field is always present.
	Required bool
	// Description is the schema's description, in Chinese, with the unit.
	Description string
}

// schemaNode is the part of a JSON Schema the dictionary reads.
type schemaNode struct {
	Description string                 `json:"description"`
	Type        string                 `json:"type"`
	Ref         string                 `json:"$ref"`
	Enum        []string               `json:"enum"`
	Const       any                    `json:"const"`
	Pattern     string                 `json:"pattern"`
	Required    []string               `json:"required"`
	Properties  map[string]*schemaNode `json:"properties"`
	Items       *schemaNode            `json:"items"`
	Defs        map[string]*schemaNode `json:"$defs"`
}

// SchemaFields returns every field of evaluations.json that Schema
// describes, depth first in the schema's order of properties. An
// indicator's lower levels (items) have the fields of the indicator and
// are listed once.
func SchemaFields() ([]Field, error) {
	var root schemaNode
	if err := json.Unmarshal(Schema, &root); err != nil {
		return nil, fmt.Errorf("%s: %w", SchemaFile, err)
	}
	order, err := propertyOrder(Schema)
	if err != nil {
		return nil, err
	}
	var out []Field
	seen := map[string]bool{}
	var walk func(prefix string, n *schemaNode, ptr string) error
	walk = func(prefix string, n *schemaNode, ptr string) error {
		for _, name := range order[ptr] {
			p := n.Properties[name]
			path := name
			if prefix != "" {
				path = prefix + "." + name
			}
			typ, target, tptr, err := root.describe(p, ptr+"/properties/"+name)
			if err != nil {
				return fmt.Errorf("%s: %s: %w", SchemaFile, path, err)
			}
			out = append(out, Field{Path: path, Type: typ, Required: slices.Contains(n.Required, name), Description: p.Description})
			if target == nil || seen[tptr] {
				continue
			}
			seen[tptr] = true
			if strings.HasSuffix(typ, "数组") {
				path += "[]"
			}
			if err := walk(path, target, tptr); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk("", &root, ""); err != nil {
		return nil, err
	}
	return out, nil
}

// describe returns the type of n in words, and the object whose fields
// follow it (n itself, its items, or what they refer to) with its JSON
// pointer, nil if none.
func (root *schemaNode) describe(n *schemaNode, ptr string) (typ string, obj *schemaNode, objPtr string, err error) {
	resolve := func(n *schemaNode, ptr string) (*schemaNode, string, error) {
		for n.Ref != "" {
			name, ok := strings.CutPrefix(n.Ref, "#/$defs/")
			if !ok || root.Defs[name] == nil {
				return nil, "", fmt.Errorf("unknown $ref %q", n.Ref)
			}
			n, ptr = root.Defs[name], "/$defs/"+name
		}
		return n, ptr, nil
	}
	n, ptr, err = resolve(n, ptr)
	if err != nil {
		return "", nil, "", err
	}
	switch {
	case n.Const != nil:
		return fmt.Sprintf("常数 %v", n.Const), nil, "", nil
	case n.Enum != nil:
		return "代码：" + strings.Join(n.Enum, "、"), nil, "", nil
	case n.Type == "array":
		if n.Items == nil {
			return "数组", nil, "", nil
		}
		item, iptr, err := resolve(n.Items, ptr+"/items")
		if err != nil {
			return "", nil, "", err
		}
		if item.Type == "object" {
			return "对象数组", item, iptr, nil
		}
		t, _, _, err := root.describe(item, iptr)
		return t + "数组", nil, "", err
	case n.Type == "object":
		return "对象", n, ptr, nil
	case n.Type == "string" && n.Pattern != "" && strings.Contains(n.Pattern, "-[0-9]{2}-"):
		return "日期文本", nil, "", nil
	}
	words := map[string]string{"string": "文本", "number": "数字", "integer": "整数", "boolean": "true/false"}
	if w, ok := words[n.Type]; ok {
		return w, nil, "", nil
	}
	return "", nil, "", fmt.Errorf("no type")
}

// propertyOrder returns, for each object of the schema by its JSON
// pointer, the names of its properties in the order the file writes them:
// the dictionary follows the schema, which follows the output.
func propertyOrder(schema []byte) (map[string][]string, error) {
	out := map[string][]string{}
	dec := json.NewDecoder(strings.NewReader(string(schema)))
	var walk func(ptr string) error
	// value reads one value; ptr is its pointer.
	var value func(ptr string) error
	value = func(ptr string) error {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		switch t {
		case json.Delim('{'):
			return walk(ptr)
		case json.Delim('['):
			for i := 0; dec.More(); i++ {
				if err := value(fmt.Sprintf("%s/%d", ptr, i)); err != nil {
					return err
				}
			}
			_, err = dec.Token()
			return err
		}
		return nil
	}
	walk = func(ptr string) error {
		for dec.More() {
			t, err := dec.Token()
			if err != nil {
				return err
			}
			key := t.(string)
			if strings.HasSuffix(ptr, "/properties") || ptr == "/properties" {
				parent := strings.TrimSuffix(ptr, "/properties")
				out[parent] = append(out[parent], key)
			}
			if err := value(ptr + "/" + key); err != nil {
				return err
			}
		}
		_, err := dec.Token()
		return err
	}
	if err := value(""); err != nil {
		return nil, fmt.Errorf("%s: %w", SchemaFile, err)
	}
	return out, nil
}
