/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-qr-view"

#include "config.h"

#include "pdv-core.h"
#include "pdv-qr-view.h"

/* A QR code drawn module by module for a phone camera across the counter:
 * black on white whatever the theme, a quiet zone of four modules, and every
 * module a whole number of pixels so that no edge is blurred. */
struct _PdvQrView
{
  GtkWidget  parent_instance;

  char      *text;
  PdvQrCode *code;
};

G_DEFINE_FINAL_TYPE (PdvQrView, pdv_qr_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* What the QR specification asks for around the symbol. */
#define QUIET_ZONE 4
/* Below this a phone held at arm's length starts to struggle. */
#define MIN_MODULE_PX 4

static guint
n_modules_across (PdvQrView *self)
{
  return self->code != NULL ? self->code->width + 2 * QUIET_ZONE : 0;
}

static guint
module_size_for (PdvQrView *self,
                 int        width,
                 int        height)
{
  guint across = n_modules_across (self);

  if (across == 0)
    return 0;
  return MAX (1, (guint) MIN (width, height) / across);
}

static void
pdv_qr_view_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  PdvQrView *self = PDV_QR_VIEW (widget);
  int across = (int) n_modules_across (self);

  /* Square: the natural size is what the minimum module size needs. */
  *minimum = *natural = across * MIN_MODULE_PX;
}

static GtkSizeRequestMode
pdv_qr_view_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_CONSTANT_SIZE;
}

static void
pdv_qr_view_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  PdvQrView *self = PDV_QR_VIEW (widget);
  static const GdkRGBA white = { 1, 1, 1, 1 };
  static const GdkRGBA black = { 0, 0, 0, 1 };
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  guint module = module_size_for (self, width, height);
  guint side = module * n_modules_across (self);
  int x0, y0;

  if (self->code == NULL || module == 0)
    return;

  /* Whole pixels from the widget's origin keep every module edge sharp. */
  x0 = (width - (int) side) / 2;
  y0 = (height - (int) side) / 2;

  gtk_snapshot_append_color (snapshot, &white,
                             &GRAPHENE_RECT_INIT (x0, y0, side, side));

  /* One rectangle per horizontal run of dark modules rather than one per
   * module: a third as many render nodes. */
  for (guint y = 0; y < self->code->width; y++)
    {
      guint x = 0;

      while (x < self->code->width)
        {
          guint run_start;

          if (!pdv_qr_code_is_dark (self->code, x, y))
            {
              x++;
              continue;
            }
          run_start = x;
          while (x < self->code->width && pdv_qr_code_is_dark (self->code, x, y))
            x++;

          gtk_snapshot_append_color (snapshot, &black,
                                     &GRAPHENE_RECT_INIT (x0 + (int) ((run_start + QUIET_ZONE) * module),
                                                          y0 + (int) ((y + QUIET_ZONE) * module),
                                                          (x - run_start) * module,
                                                          module));
        }
    }
}

static void
pdv_qr_view_finalize (GObject *object)
{
  PdvQrView *self = PDV_QR_VIEW (object);

  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->code, pdv_qr_code_free);

  G_OBJECT_CLASS (pdv_qr_view_parent_class)->finalize (object);
}

static void
pdv_qr_view_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  PdvQrView *self = PDV_QR_VIEW (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_qr_view_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  PdvQrView *self = PDV_QR_VIEW (object);
  g_autoptr(GError) error = NULL;

  switch (prop_id)
    {
    case PROP_TEXT:
      if (!pdv_qr_view_set_text (self, g_value_get_string (value), &error))
        g_warning ("%s", error->message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_qr_view_class_init (PdvQrViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = pdv_qr_view_finalize;
  object_class->get_property = pdv_qr_view_get_property;
  object_class->set_property = pdv_qr_view_set_property;

  widget_class->measure = pdv_qr_view_measure;
  widget_class->get_request_mode = pdv_qr_view_get_request_mode;
  widget_class->snapshot = pdv_qr_view_snapshot;

  /**
   * PdvQrView:text:
   *
   * What the code carries; %NULL or empty shows nothing.
   */
  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "qrview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
pdv_qr_view_init (PdvQrView *self)
{
}

GtkWidget *
pdv_qr_view_new (void)
{
  return g_object_new (PDV_TYPE_QR_VIEW, NULL);
}

const char *
pdv_qr_view_get_text (PdvQrView *self)
{
  g_return_val_if_fail (PDV_IS_QR_VIEW (self), NULL);
  return self->text;
}

/**
 * pdv_qr_view_set_text:
 * @text: (nullable): what the code carries
 *
 * Returns: whether @text fits in a QR code; if not, the view is left empty
 */
gboolean
pdv_qr_view_set_text (PdvQrView   *self,
                      const char  *text,
                      GError     **error)
{
  g_autoptr(PdvQrCode) code = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (PDV_IS_QR_VIEW (self), FALSE);

  if (text != NULL && *text == '\0')
    text = NULL;
  if (g_strcmp0 (text, self->text) == 0)
    return TRUE;

  if (text != NULL)
    {
      code = pdv_qr_encode (text, error);
      ok = code != NULL;
      if (!ok)
        text = NULL;
    }

  g_free (self->text);
  self->text = g_strdup (text);
  g_clear_pointer (&self->code, pdv_qr_code_free);
  self->code = g_steal_pointer (&code);

  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
  return ok;
}

/**
 * pdv_qr_view_get_module_size:
 *
 * Returns: how many pixels wide a module is drawn at the current size; 0
 *   when there is no code
 */
guint
pdv_qr_view_get_module_size (PdvQrView *self)
{
  g_return_val_if_fail (PDV_IS_QR_VIEW (self), 0);
  return self->code != NULL ? module_size_for (self, gtk_widget_get_width (GTK_WIDGET (self)),
                                               gtk_widget_get_height (GTK_WIDGET (self)))
                            : 0;
}
