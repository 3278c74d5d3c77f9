# The AOT model libraries' runtime (codegen/aotrt/aot_rt.c): compiled by
# clang to bitcode per target architecture and embedded into ovcc_codegen as
# ovcc_aot_rt_bc_<arch>, which codegen/aot.c links into every library's
# module. Hosted C (pthread, string) built position-independent: it ends up
# in a shared object. Its pthread types come from the target's C library
# headers: the host's for the host's architecture, a cross sysroot's
# (/usr/<arch>-linux-gnu/include, Debian's libc6-dev-<arch>-cross) for the
# other one. Without those headers that architecture's runtime is an empty
# array and `ovcc --target=...` for it says what to install.
set(OVCC_AOTRT_DIR ${CMAKE_SOURCE_DIR}/codegen/aotrt)
set(OVCC_AOTRT_DEPS ${OVCC_AOTRT_DIR}/aot_rt.c ${OVCC_AOTRT_DIR}/aot_abi.h
                     ${OVCC_AOTRT_DIR}/region_slice.h)
string(TOLOWER "${CMAKE_SYSTEM_PROCESSOR}" OVCC_HOST_ARCH)
if(OVCC_HOST_ARCH STREQUAL "amd64")
  set(OVCC_HOST_ARCH x86_64)
elseif(OVCC_HOST_ARCH STREQUAL "arm64")
  set(OVCC_HOST_ARCH aarch64)
endif()
foreach(arch x86_64 aarch64)
  set(dir ${CMAKE_BINARY_DIR}/aotrt/${arch})
  set(bc ${dir}/aot_rt.bc)
  set(c ${dir}/aot_rt_bc.c)
  if(arch STREQUAL OVCC_HOST_ARCH OR EXISTS /usr/${arch}-linux-gnu/include/pthread.h)
    add_custom_command(
      OUTPUT ${bc}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
      COMMAND ${OVCC_CLANG} --target=${arch}-linux-gnu -O2 -std=c11 -fPIC -fno-stack-protector
              -fno-unwind-tables -fno-asynchronous-unwind-tables -D_DEFAULT_SOURCE
              -Wall -Wextra -Werror -emit-llvm -c ${OVCC_AOTRT_DIR}/aot_rt.c -o ${bc}
      DEPENDS ${OVCC_AOTRT_DEPS}
      COMMENT "AOT runtime aot_rt.c -> ${arch} bitcode" VERBATIM)
    add_custom_command(
      OUTPUT ${c}
      COMMAND ${CMAKE_COMMAND} -DIN=${bc} -DOUT=${c} -DNAME=ovcc_aot_rt_bc_${arch} -P ${OVCC_EMBED}
      DEPENDS ${bc} ${OVCC_EMBED} VERBATIM)
  else()
    message(STATUS "ovcc: no ${arch} C library headers (/usr/${arch}-linux-gnu/include): "
                   "no AOT libraries for ${arch}")
    add_custom_command(
      OUTPUT ${c}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
      COMMAND ${CMAKE_COMMAND} -DIN= -DOUT=${c} -DNAME=ovcc_aot_rt_bc_${arch} -P ${OVCC_EMBED}
      DEPENDS ${OVCC_EMBED} VERBATIM)
  endif()
  target_sources(ovcc_codegen PRIVATE ${c})
endforeach()
