// Model of package net/http for racelens: handlers, the ServeMux, the Server and the
// basics of Request and ResponseWriter, with the signatures of the real API. Bodies are
// placeholders; fields whose types live in packages without a model (net, net/url, io)
// are left out.

package http

import (
	"context"
	"errors"
	"sync"
	"time"
)

// A Handler responds to an HTTP request.
type Handler interface {
	ServeHTTP(ResponseWriter, *Request)
}

// The HandlerFunc type is an adapter to allow the use of ordinary functions as HTTP
// handlers.
type HandlerFunc func(ResponseWriter, *Request)

// ServeHTTP calls f(w, r).
func (f HandlerFunc) ServeHTTP(w ResponseWriter, r *Request) { f(w, r) }

// A ResponseWriter interface is used by an HTTP handler to construct an HTTP response.
type ResponseWriter interface {
	Header() Header
	Write([]byte) (int, error)
	WriteHeader(statusCode int)
}

// The Flusher interface is implemented by ResponseWriters that allow an HTTP handler to
// flush buffered data to the client.
type Flusher interface {
	Flush()
}

// A Header represents the key-value pairs in an HTTP header.
type Header map[string][]string

func (h Header) Add(key, value string)      {}
func (h Header) Set(key, value string)      {}
func (h Header) Get(key string) string      { panic("model") }
func (h Header) Values(key string) []string { panic("model") }
func (h Header) Del(key string)             {}
func (h Header) Clone() Header              { panic("model") }

// A Request represents an HTTP request received by a server or to be sent by a client.
type Request struct {
	Method     string
	Proto      string
	ProtoMajor int
	ProtoMinor int
	Header     Header
	Host       string
	RemoteAddr string
	RequestURI string
	ctx        context.Context
}

func (r *Request) Context() context.Context                        { panic("model") }
func (r *Request) WithContext(ctx context.Context) *Request        { panic("model") }
func (r *Request) Clone(ctx context.Context) *Request              { panic("model") }
func (r *Request) UserAgent() string                               { panic("model") }
func (r *Request) ParseForm() error                                { panic("model") }
func (r *Request) FormValue(key string) string                     { panic("model") }
func (r *Request) PostFormValue(key string) string                 { panic("model") }
func (r *Request) PathValue(name string) string                    { panic("model") }
func (r *Request) BasicAuth() (username, password string, ok bool) { panic("model") }

// ServeMux is an HTTP request multiplexer.
type ServeMux struct {
	mu sync.RWMutex
	m  map[string]Handler
}

// DefaultServeMux is the default ServeMux used by Serve.
var DefaultServeMux *ServeMux = &defaultServeMux

var defaultServeMux ServeMux

func NewServeMux() *ServeMux { return new(ServeMux) }

func (mux *ServeMux) Handler(r *Request) (h Handler, pattern string)                    { panic("model") }
func (mux *ServeMux) ServeHTTP(w ResponseWriter, r *Request)                            {}
func (mux *ServeMux) Handle(pattern string, handler Handler)                            {}
func (mux *ServeMux) HandleFunc(pattern string, handler func(ResponseWriter, *Request)) {}

func Handle(pattern string, handler Handler)                            {}
func HandleFunc(pattern string, handler func(ResponseWriter, *Request)) {}

// A Server defines parameters for running an HTTP server.
type Server struct {
	Addr              string
	Handler           Handler
	ReadTimeout       time.Duration
	ReadHeaderTimeout time.Duration
	WriteTimeout      time.Duration
	IdleTimeout       time.Duration
	MaxHeaderBytes    int

	mu         sync.Mutex
	onShutdown []func()
}

func (srv *Server) Close() error                                     { panic("model") }
func (srv *Server) Shutdown(ctx context.Context) error               { panic("model") }
func (srv *Server) RegisterOnShutdown(f func())                      {}
func (srv *Server) ListenAndServe() error                            { panic("model") }
func (srv *Server) ListenAndServeTLS(certFile, keyFile string) error { panic("model") }
func (srv *Server) SetKeepAlivesEnabled(v bool)                      {}

func ListenAndServe(addr string, handler Handler) error                       { panic("model") }
func ListenAndServeTLS(addr, certFile, keyFile string, handler Handler) error { panic("model") }

// ErrServerClosed is returned by the Server's Serve and ListenAndServe methods after a
// call to Shutdown or Close.
var ErrServerClosed error = errors.New("http: Server closed")

func Error(w ResponseWriter, error string, code int)                 {}
func NotFound(w ResponseWriter, r *Request)                          {}
func NotFoundHandler() Handler                                       { return HandlerFunc(NotFound) }
func Redirect(w ResponseWriter, r *Request, url string, code int)    {}
func StripPrefix(prefix string, h Handler) Handler                   { panic("model") }
func TimeoutHandler(h Handler, dt time.Duration, msg string) Handler { panic("model") }

// HTTP status codes used most often by handlers.
const (
	StatusOK                  = 200
	StatusCreated             = 201
	StatusNoContent           = 204
	StatusMovedPermanently    = 301
	StatusFound               = 302
	StatusBadRequest          = 400
	StatusUnauthorized        = 401
	StatusForbidden           = 403
	StatusNotFound            = 404
	StatusMethodNotAllowed    = 405
	StatusInternalServerError = 500
	StatusServiceUnavailable  = 503
)

// Common HTTP methods.
const (
	MethodGet    = "GET"
	MethodHead   = "HEAD"
	MethodPost   = "POST"
	MethodPut    = "PUT"
	MethodPatch  = "PATCH"
	MethodDelete = "DELETE"
)
