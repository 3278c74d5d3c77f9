# cmake -DIN=file -DOUT=file.c -DNAME=sym -P embed.cmake: writes a C file
# defining `const unsigned char sym[]` (16-byte aligned) and `sym_size`.
# An empty IN gives a one-byte array with sym_size 0 (not built).
if(IN)
  file(READ ${IN} hex HEX)
else()
  set(hex "")
endif()
string(LENGTH "${hex}" nhex)
math(EXPR nbytes "${nhex} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "((0x..,){32})" "\\1\n" bytes "${bytes}")
if(nbytes EQUAL 0)
  set(bytes "0")
endif()
file(WRITE ${OUT}
     "/* Generated from ${IN} by embed.cmake; do not edit. */\n"
     "#include <stddef.h>\n"
     "extern const unsigned char ${NAME}[];\n"
     "extern const size_t ${NAME}_size;\n"
     "const unsigned char ${NAME}[] __attribute__((aligned(16))) = {\n${bytes}};\n"
     "const size_t ${NAME}_size = ${nbytes};\n")
