{
  "targets": [
    {
      "target_name": "zeroscope_bpf",
      "sources": [
        "native/addon.c", "native/shim.c", "native/object.c", "native/attach.c",
        "native/maps.c", "native/batch.c", "native/ring.c", "native/mring.c", "native/mdring.c", "native/order.c", "native/packet.c"
      ],
      "cflags": ["-std=gnu11", "-Wall", "-Wextra", "-Wno-unused-parameter", "-O2"],
      "libraries": ["-lbpf"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
