/* wl_gzip.c - multi-member gzip for the workload reader.
 *
 * GZlibDecompressor stops at the end of the first gzip member, yet gzip -c
 * a b, pigz and "cat a.gz b.gz" write files of several members whose
 * meaning is their concatenation.  Read through GZlibDecompressor alone,
 * such a workload would lose everything after its first member without a
 * word.  This converter wraps it and restarts it at each member boundary;
 * anything after the last member that is not gzip is reported as corrupt.
 */
#include "wl_priv.h"

#define WL_TYPE_GUNZIP (wl_gunzip_get_type())
G_DECLARE_FINAL_TYPE(WlGunzip, wl_gunzip, WL, GUNZIP, GObject)

struct _WlGunzip {
	GObject parent;
	GConverter *zlib; /* the GZlibDecompressor doing the work */
	gboolean between; /* at a member boundary: input may end cleanly here */
};

static void wl_gunzip_converter_init(GConverterIface *iface);
G_DEFINE_TYPE_WITH_CODE(WlGunzip, wl_gunzip, G_TYPE_OBJECT,
			G_IMPLEMENT_INTERFACE(G_TYPE_CONVERTER, wl_gunzip_converter_init))

static GConverterResult wl_gunzip_convert(GConverter *converter, const void *inbuf,
					  gsize inbuf_size, void *outbuf, gsize outbuf_size,
					  GConverterFlags flags, gsize *bytes_read,
					  gsize *bytes_written, GError **error)
{
	WlGunzip *self = WL_GUNZIP(converter);

	if (self->between && inbuf_size == 0) {
		*bytes_read = *bytes_written = 0;
		if (flags & G_CONVERTER_INPUT_AT_END)
			return G_CONVERTER_FINISHED;
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT, "Need more input");
		return G_CONVERTER_ERROR;
	}
	GConverterResult res =
		g_converter_convert(self->zlib, inbuf, inbuf_size, outbuf, outbuf_size, flags,
				    bytes_read, bytes_written, error);
	if (res == G_CONVERTER_ERROR)
		return res;
	self->between = FALSE;
	if (res == G_CONVERTER_FINISHED) {
		/* The end of one member: another may follow. */
		g_converter_reset(self->zlib);
		self->between = TRUE;
		if (*bytes_read < inbuf_size || !(flags & G_CONVERTER_INPUT_AT_END))
			return G_CONVERTER_CONVERTED;
	}
	return res;
}

static void wl_gunzip_reset(GConverter *converter)
{
	WlGunzip *self = WL_GUNZIP(converter);

	g_converter_reset(self->zlib);
	self->between = FALSE;
}

static void wl_gunzip_converter_init(GConverterIface *iface)
{
	iface->convert = wl_gunzip_convert;
	iface->reset = wl_gunzip_reset;
}

static void wl_gunzip_finalize(GObject *object)
{
	g_clear_object(&WL_GUNZIP(object)->zlib);
	G_OBJECT_CLASS(wl_gunzip_parent_class)->finalize(object);
}

static void wl_gunzip_class_init(WlGunzipClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wl_gunzip_finalize;
}

static void wl_gunzip_init(WlGunzip *self)
{
	self->zlib = G_CONVERTER(g_zlib_decompressor_new(G_ZLIB_COMPRESSOR_FORMAT_GZIP));
}

GConverter *wl_gunzip_new(void)
{
	return G_CONVERTER(g_object_new(WL_TYPE_GUNZIP, NULL));
}
