// Model of package net/url for racelens: Values, a map type whose modifying methods make it
// unsafe for concurrent use, with the signatures of the real API. URL is not modelled.

package url

// Values maps a string key to a list of values.
type Values map[string][]string

func (v Values) Get(key string) string        { panic("model") }
func (v Values) Set(key, value string)        {}
func (v Values) Add(key, value string)        {}
func (v Values) Del(key string)               {}
func (v Values) Has(key string) bool          { panic("model") }
func (v Values) Encode() string               { panic("model") }
func ParseQuery(query string) (Values, error) { panic("model") }
func QueryEscape(s string) string             { panic("model") }
func QueryUnescape(s string) (string, error)  { panic("model") }
func PathEscape(s string) string              { panic("model") }
func PathUnescape(s string) (string, error)   { panic("model") }
