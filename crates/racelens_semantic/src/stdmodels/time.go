// Model of package time for racelens: durations, instants, timers and tickers, with the
// signatures of the real API. Bodies are placeholders.

package time

// A Duration represents the elapsed time between two instants as an int64 nanosecond
// count.
type Duration int64

const (
	Nanosecond  Duration = 1
	Microsecond          = 1000 * Nanosecond
	Millisecond          = 1000 * Microsecond
	Second               = 1000 * Millisecond
	Minute               = 60 * Second
	Hour                 = 60 * Minute
)

func (d Duration) String() string               { panic("model") }
func (d Duration) Nanoseconds() int64           { return int64(d) }
func (d Duration) Microseconds() int64          { return int64(d) / 1e3 }
func (d Duration) Milliseconds() int64          { return int64(d) / 1e6 }
func (d Duration) Seconds() float64             { panic("model") }
func (d Duration) Minutes() float64             { panic("model") }
func (d Duration) Hours() float64               { panic("model") }
func (d Duration) Truncate(m Duration) Duration { panic("model") }
func (d Duration) Round(m Duration) Duration    { panic("model") }
func (d Duration) Abs() Duration                { panic("model") }

func ParseDuration(s string) (Duration, error) { panic("model") }

// A Month specifies a month of the year (January = 1, ...).
type Month int

const (
	January Month = 1 + iota
	February
	March
	April
	May
	June
	July
	August
	September
	October
	November
	December
)

func (m Month) String() string { panic("model") }

// A Weekday specifies a day of the week (Sunday = 0, ...).
type Weekday int

const (
	Sunday Weekday = iota
	Monday
	Tuesday
	Wednesday
	Thursday
	Friday
	Saturday
)

func (d Weekday) String() string { panic("model") }

// A Location maps time instants to the zone in use at that time.
type Location struct {
	name string
}

var UTC *Location = &utcLoc
var Local *Location = &localLoc

var utcLoc = Location{name: "UTC"}
var localLoc Location

func (l *Location) String() string                { panic("model") }
func FixedZone(name string, offset int) *Location { panic("model") }
func LoadLocation(name string) (*Location, error) { panic("model") }

// Layouts for Format and Parse.
const (
	Layout      = "01/02 03:04:05PM '06 -0700"
	ANSIC       = "Mon Jan _2 15:04:05 2006"
	RFC1123     = "Mon, 02 Jan 2006 15:04:05 MST"
	RFC3339     = "2006-01-02T15:04:05Z07:00"
	RFC3339Nano = "2006-01-02T15:04:05.999999999Z07:00"
	Kitchen     = "3:04PM"
	DateTime    = "2006-01-02 15:04:05"
	DateOnly    = "2006-01-02"
	TimeOnly    = "15:04:05"
)

// A Time represents an instant in time with nanosecond precision.
type Time struct {
	wall uint64
	ext  int64
	loc  *Location
}

func Now() Time                                                                     { panic("model") }
func Since(t Time) Duration                                                         { panic("model") }
func Until(t Time) Duration                                                         { panic("model") }
func Unix(sec int64, nsec int64) Time                                               { panic("model") }
func UnixMilli(msec int64) Time                                                     { panic("model") }
func UnixMicro(usec int64) Time                                                     { panic("model") }
func Date(year int, month Month, day, hour, min, sec, nsec int, loc *Location) Time { panic("model") }
func Parse(layout, value string) (Time, error)                                      { panic("model") }

func (t Time) After(u Time) bool                            { panic("model") }
func (t Time) Before(u Time) bool                           { panic("model") }
func (t Time) Compare(u Time) int                           { panic("model") }
func (t Time) Equal(u Time) bool                            { panic("model") }
func (t Time) IsZero() bool                                 { panic("model") }
func (t Time) Add(d Duration) Time                          { panic("model") }
func (t Time) AddDate(years int, months int, days int) Time { panic("model") }
func (t Time) Sub(u Time) Duration                          { panic("model") }
func (t Time) Truncate(d Duration) Time                     { panic("model") }
func (t Time) Round(d Duration) Time                        { panic("model") }
func (t Time) Date() (year int, month Month, day int)       { panic("model") }
func (t Time) Year() int                                    { panic("model") }
func (t Time) Month() Month                                 { panic("model") }
func (t Time) Day() int                                     { panic("model") }
func (t Time) Weekday() Weekday                             { panic("model") }
func (t Time) Hour() int                                    { panic("model") }
func (t Time) Minute() int                                  { panic("model") }
func (t Time) Second() int                                  { panic("model") }
func (t Time) Nanosecond() int                              { panic("model") }
func (t Time) UTC() Time                                    { panic("model") }
func (t Time) Local() Time                                  { panic("model") }
func (t Time) In(loc *Location) Time                        { panic("model") }
func (t Time) Location() *Location                          { panic("model") }
func (t Time) Unix() int64                                  { panic("model") }
func (t Time) UnixMilli() int64                             { panic("model") }
func (t Time) UnixMicro() int64                             { panic("model") }
func (t Time) UnixNano() int64                              { panic("model") }
func (t Time) String() string                               { panic("model") }
func (t Time) Format(layout string) string                  { panic("model") }

// Sleep pauses the current goroutine for at least the duration d.
func Sleep(d Duration) {}

// The Timer type represents a single event.
type Timer struct {
	C <-chan Time
	r runtimeTimer
}

type runtimeTimer struct {
	when   int64
	period int64
	f      func(any, uintptr)
	arg    any
}

func NewTimer(d Duration) *Timer            { panic("model") }
func (t *Timer) Stop() bool                 { panic("model") }
func (t *Timer) Reset(d Duration) bool      { panic("model") }
func After(d Duration) <-chan Time          { panic("model") }
func AfterFunc(d Duration, f func()) *Timer { panic("model") }

// A Ticker holds a channel that delivers “ticks” of a clock at intervals.
type Ticker struct {
	C <-chan Time
	r runtimeTimer
}

func NewTicker(d Duration) *Ticker { panic("model") }
func (t *Ticker) Stop()            {}
func (t *Ticker) Reset(d Duration) {}
func Tick(d Duration) <-chan Time  { panic("model") }
