# The misc family's C ukernels (codegen/ukernels/*.c): compiled by clang to
# bitcode, linked into one file, embedded into ovcc_codegen as a byte array
# (ovcc_ukernels_bc) that codegen/ukernel.c links into modules on demand.
# Flags: freestanding (no libc headers, no builtins turning loops into libc
# calls), no stack protector (no libc guard symbols), no FP contraction (the
# arithmetic of OpenVINO's reference code, op for op).
find_program(OVCC_CLANG NAMES clang-22 clang PATHS /usr/lib/llvm-22/bin NO_DEFAULT_PATH REQUIRED)
find_program(OVCC_LLVM_LINK NAMES llvm-link PATHS /usr/lib/llvm-22/bin NO_DEFAULT_PATH REQUIRED)

set(OVCC_UK_DIR ${CMAKE_SOURCE_DIR}/codegen/ukernels)
file(GLOB OVCC_UK_SRC CONFIGURE_DEPENDS ${OVCC_UK_DIR}/*.c)
file(GLOB OVCC_UK_HDR CONFIGURE_DEPENDS ${OVCC_UK_DIR}/*.h)
set(OVCC_UK_BCS)
foreach(src ${OVCC_UK_SRC})
  get_filename_component(name ${src} NAME_WE)
  set(bc ${CMAKE_BINARY_DIR}/ukernels/${name}.bc)
  add_custom_command(
    OUTPUT ${bc}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/ukernels
    COMMAND ${OVCC_CLANG} -O2 -std=c11 -ffreestanding -nostdlibinc -fno-stack-protector
            -ffp-contract=off -fno-unwind-tables -fno-asynchronous-unwind-tables
            -Wall -Wextra -Werror -emit-llvm -c ${src} -o ${bc}
    DEPENDS ${src} ${OVCC_UK_HDR}
    COMMENT "ukernel ${name}.c -> bitcode" VERBATIM)
  list(APPEND OVCC_UK_BCS ${bc})
endforeach()
set(OVCC_UK_ALL ${CMAKE_BINARY_DIR}/ukernels/ukernels.bc)
set(OVCC_UK_C ${CMAKE_BINARY_DIR}/ukernels/ukernels_bc.c)
add_custom_command(
  OUTPUT ${OVCC_UK_ALL}
  COMMAND ${OVCC_LLVM_LINK} ${OVCC_UK_BCS} -o ${OVCC_UK_ALL}
  DEPENDS ${OVCC_UK_BCS} VERBATIM)
add_custom_command(
  OUTPUT ${OVCC_UK_C}
  COMMAND ${CMAKE_COMMAND} -DIN=${OVCC_UK_ALL} -DOUT=${OVCC_UK_C} -DNAME=ovcc_ukernels_bc
          -P ${OVCC_UK_DIR}/embed.cmake
  DEPENDS ${OVCC_UK_ALL} ${OVCC_UK_DIR}/embed.cmake VERBATIM)
target_sources(ovcc_codegen PRIVATE ${OVCC_UK_C})
