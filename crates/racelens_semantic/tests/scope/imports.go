//-- file: a.go
package p

import (
	"fmt" /*@fmt:Import*/
	str /*@str:Import*/ "strings"
	. /*@dot:Import*/ "sort"
	_ /*@blank:Import*/ "embed"
	mrand /*@mrand*/ "math/rand"
	"gopkg.in/yaml.v3" /*@yaml:Import*/
)

var A /*@A:PackageVar*/ = fmt /*=fmt*/ .Sprint /*=imp:fmt*/ (str /*=str*/ .ToUpper /*=imp:str*/ ("x"), B /*=B*/)

func useDot /*@useDot*/ () {
	// Names of a dot import are unknown without the imported package.
	Strings /*=_*/ (nil)
	_ = mrand /*=mrand*/ .Int /*=imp:mrand*/
	_, _ = yaml /*=yaml*/ .Marshal /*=imp:yaml*/ (nil)
	fmt /*@lfmt:LocalVar*/ := 1
	_ = fmt /*=lfmt*/
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
