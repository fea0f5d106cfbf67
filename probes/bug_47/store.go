package bug_47

// KV is the storage abstraction used by the replica. Production uses a
// disk-backed implementation; single-node deployments use the in-memory one.
type KV interface {
	Put(key string, value []byte) error
	Get(key string) ([]byte, bool)
	Len() int
}

type memKV struct {
	data map[string][]byte
}

// NewMemKV returns an in-memory KV.
func NewMemKV() KV {
	return &memKV{data: make(map[string][]byte)}
}

func (m *memKV) Put(key string, value []byte) error {
	m.data[key] = value // RACE
	return nil
}

func (m *memKV) Get(key string) ([]byte, bool) {
	v, ok := m.data[key] // RACE-ALSO
	return v, ok
}

func (m *memKV) Len() int { return len(m.data) }
