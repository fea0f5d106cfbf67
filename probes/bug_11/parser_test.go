package bug_11

import "testing"

func TestParse(t *testing.T) {
	p := NewParser("workers", "port", "timeout")

	cases := []struct {
		name    string
		in      string
		strict  bool
		wantErr bool
	}{
		{"simple", "workers=4\nport=80", false, false},
		{"unknown-lenient", "workers=4\ncolor=3", false, false},
		{"unknown-strict", "workers=4\ncolor=3", true, true},
		{"bad-int", "port=eighty", false, true},
	}
	for _, tc := range cases {
		tc := tc
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p.Strict = tc.strict // RACE
			_, err := p.Parse(tc.in)
			if (err != nil) != tc.wantErr {
				t.Fatalf("Parse(%q) err=%v, wantErr=%v", tc.in, err, tc.wantErr)
			}
		})
	}
}
