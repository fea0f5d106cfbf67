//-- file: a.go
package p

import (
	"fmt" /*@fmt:Import*/
	str /*@str:Import*/ "strings"
	. /*@dot:Import*/ "sort"
	_ /*@blank:Import*/ "embed"
	mrand /*@mrand*/ "math/rand"
	"gopkg.in/yaml.v3" /*@yaml:Import*/
	// Guessed `signer`, but the file uses it as `v4`: the import takes that name.
	"example.com/aws/signer/v4" /*@v4:Import*/
	// Guessed `redis`, and used so.
	"example.com/go-redis/redis/v8" /*@redis:Import*/
)

var A /*@A:PackageVar*/ = fmt /*=fmt*/ .Sprint /*=imp:fmt*/ (str /*=str*/ .ToUpper /*=imp:str*/ ("x"), B /*=B*/)

func useDot /*@useDot*/ () {
	// Names of a dot import are unknown without the imported package.
	Strings /*=_*/ (nil)
	_ = mrand /*=mrand*/ .Int /*=imp:mrand*/
	_, _ = yaml /*=yaml*/ .Marshal /*=imp:yaml*/ (nil)
	_ = v4 /*=v4*/ .NewSigner /*=imp:v4*/
	_ = redis /*=redis*/ .NewClient /*=imp:redis*/
	_ = v8 /*=_*/ .X /*=_*/
	_ = signer /*=_*/
	fmt /*@lfmt:LocalVar*/ := 1
	_ = fmt /*=lfmt*/
	// A local shadowing an import makes `fmt.X` an ordinary selector.
	_ = fmt /*=lfmt*/ .X /*=_*/
}

func (x *Later /*=Later*/) M /*@M:Method*/ () {}

//-- file: b.go
package p

import "strings" /*@strings2:Import*/

var B /*@B*/ = strings /*=strings2*/ .Repeat /*=imp:strings2*/ ("a", 2)

type Later /*@Later:PackageType*/ int

func useA() {
	_ = A /*=A*/
	// Imports are per file.
	_ = fmt /*=_*/
	_ = str /*=_*/
	_ = useDot /*=useDot*/
}
