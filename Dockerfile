# Build: docker build --build-arg VERSION=$(git describe --tags --always) -t hawatch .
FROM golang:1.26.8-bookworm AS build
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

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/hawatch /usr/local/bin/hawatch
COPY deploy/prometheus/hawatch-rules.yml /etc/hawatch/hawatch-rules.yml
USER nonroot:nonroot
EXPOSE 10869
ENTRYPOINT ["/usr/local/bin/hawatch"]
CMD ["run"]
