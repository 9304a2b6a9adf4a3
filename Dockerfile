# Build: docker build --build-arg VERSION=$(git describe --tags --always) -t hawatch .
#
# Base images are pinned by digest (the tag says what it is, the digest which
# build of it): a rebuild gets the same bases until someone bumps the pins on
# purpose with scripts/pin-images.sh.
FROM golang:1.26.8-bookworm@sha256:a688600ca24f8a4d3ca77f95b0dd40704a9fc787c826660eb7ba0b641b8b175d AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
ARG REVISION=unknown
RUN CGO_ENABLED=0 go build -trimpath \
      -ldflags "-s -w \
        -X github.com/prometheus/common/version.Version=${VERSION} \
        -X github.com/prometheus/common/version.Revision=${REVISION} \
        -X github.com/prometheus/common/version.Branch=main \
        -X github.com/prometheus/common/version.BuildUser=docker" \
      -o /out/hawatch ./cmd/hawatch
# The journal directory, owned by nonroot: a named volume mounted there
# takes the ownership of the image's directory (the runtime image has no
# shell to create it).
RUN mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot@sha256:d093aa3e30dbadd3efe1310db061a14da60299baff8450a17fe0ccc514a16639
COPY --from=build /out/hawatch /usr/local/bin/hawatch
COPY --from=build --chown=65532:65532 /out/data /var/lib/hawatch
COPY deploy/prometheus/hawatch-rules.yml /etc/hawatch/hawatch-rules.yml
USER nonroot:nonroot
EXPOSE 10869
ENTRYPOINT ["/usr/local/bin/hawatch"]
CMD ["run"]
