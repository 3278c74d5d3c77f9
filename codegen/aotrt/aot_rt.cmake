# The AOT model libraries' runtime (codegen/aotrt/aot_rt.c): compiled by
# clang to bitcode and embedded into ovcc_codegen as ovcc_aot_rt_bc, which
# codegen/aot.c links into every library's module. Hosted C (pthread, string)
# built position-independent: it ends up in a shared object.
set(OVCC_AOTRT_DIR ${CMAKE_SOURCE_DIR}/codegen/aotrt)
set(OVCC_AOTRT_BC ${CMAKE_BINARY_DIR}/aotrt/aot_rt.bc)
set(OVCC_AOTRT_C ${CMAKE_BINARY_DIR}/aotrt/aot_rt_bc.c)
add_custom_command(
  OUTPUT ${OVCC_AOTRT_BC}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/aotrt
  COMMAND ${OVCC_CLANG} -O2 -std=c11 -fPIC -fno-stack-protector -fno-unwind-tables
          -fno-asynchronous-unwind-tables -D_DEFAULT_SOURCE -Wall -Wextra -Werror
          -emit-llvm -c ${OVCC_AOTRT_DIR}/aot_rt.c -o ${OVCC_AOTRT_BC}
  DEPENDS ${OVCC_AOTRT_DIR}/aot_rt.c ${OVCC_AOTRT_DIR}/aot_abi.h
  COMMENT "AOT runtime aot_rt.c -> bitcode" VERBATIM)
add_custom_command(
  OUTPUT ${OVCC_AOTRT_C}
  COMMAND ${CMAKE_COMMAND} -DIN=${OVCC_AOTRT_BC} -DOUT=${OVCC_AOTRT_C} -DNAME=ovcc_aot_rt_bc
          -P ${CMAKE_SOURCE_DIR}/codegen/ukernels/embed.cmake
  DEPENDS ${OVCC_AOTRT_BC} ${CMAKE_SOURCE_DIR}/codegen/ukernels/embed.cmake VERBATIM)
target_sources(ovcc_codegen PRIVATE ${OVCC_AOTRT_C})
