/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-wedge"

#include "config.h"

#include "pdv-wedge.h"

/* Every character is held back from the moment it is typed, because the
 * first keys of a scan look like any other keys. The held characters become
 * a scan when Enter follows them quickly enough and there are enough of them;
 * they are released, in order, as soon as they cannot be a scan any more: a
 * pause longer than the gap, Enter too early, or any other key. Whoever feeds
 * the keys hands released characters on to where they were going, so a
 * person typing sees them a moment late, and a scan never reaches a text
 * field at all.
 *
 * A pause is noticed when the next key arrives, or when the caller's timer
 * calls pdv_wedge_interrupt() because no key came: the state machine itself
 * has no clock, which keeps it a plain function of its input. */

/* Far more than any ticket; past this the burst is not a scan. */
#define MAX_HELD_BYTES 8192

struct _PdvWedge
{
  GObject   parent_instance;

  guint     min_length;
  guint     max_gap_ms;

  GString  *held;
  guint     n_held;       /* characters in held */
  gint64    first_time;   /* of the first held key, in µs */
  gint64    last_time;    /* of the last held key, in µs */
  gint64    scan_time;    /* when the last scan ended; G_MININT64 before any */
};

G_DEFINE_FINAL_TYPE (PdvWedge, pdv_wedge, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_MIN_LENGTH,
  PROP_MAX_GAP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SCANNED,
  RELEASED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
release (PdvWedge *self)
{
  g_autofree char *text = NULL;

  if (self->n_held == 0)
    return;
  text = g_strndup (self->held->str, self->held->len);
  g_string_truncate (self->held, 0);
  self->n_held = 0;
  g_signal_emit (self, signals[RELEASED], 0, text);
}

static gboolean
within_gap (PdvWedge *self,
            gint64    time_us)
{
  gint64 gap = time_us - self->last_time;

  /* A clock that went backwards says nothing about speed: no burst. */
  return gap >= 0 && gap <= (gint64) self->max_gap_ms * 1000;
}

static void
pdv_wedge_finalize (GObject *object)
{
  PdvWedge *self = PDV_WEDGE (object);

  g_string_free (self->held, TRUE);

  G_OBJECT_CLASS (pdv_wedge_parent_class)->finalize (object);
}

static void
pdv_wedge_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  PdvWedge *self = PDV_WEDGE (object);

  switch (prop_id)
    {
    case PROP_MIN_LENGTH:
      g_value_set_uint (value, self->min_length);
      break;
    case PROP_MAX_GAP:
      g_value_set_uint (value, self->max_gap_ms);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_wedge_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  PdvWedge *self = PDV_WEDGE (object);

  switch (prop_id)
    {
    case PROP_MIN_LENGTH:
      pdv_wedge_set_min_length (self, g_value_get_uint (value));
      break;
    case PROP_MAX_GAP:
      pdv_wedge_set_max_gap (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_wedge_class_init (PdvWedgeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pdv_wedge_finalize;
  object_class->get_property = pdv_wedge_get_property;
  object_class->set_property = pdv_wedge_set_property;

  /**
   * PdvWedge:min-length:
   *
   * The fewest characters a scan has; shorter bursts are typing.
   */
  properties[PROP_MIN_LENGTH] =
    g_param_spec_uint ("min-length", NULL, NULL, 1, G_MAXUINT, PDV_WEDGE_DEFAULT_MIN_LENGTH,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * PdvWedge:max-gap:
   *
   * The longest pause between two keys of a scan, in milliseconds. Scanners
   * send a key every 5 to 30 ms; the fastest typists leave 80 ms or more.
   */
  properties[PROP_MAX_GAP] =
    g_param_spec_uint ("max-gap", NULL, NULL, 1, 1000, PDV_WEDGE_DEFAULT_MAX_GAP_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PdvWedge::scanned:
   * @code: what the scanner read, without the Enter
   */
  signals[SCANNED] =
    g_signal_new ("scanned", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * PdvWedge::released:
   * @text: held characters that turned out to be typing, to deliver where
   *   they were headed, before the key being fed if it passes
   */
  signals[RELEASED] =
    g_signal_new ("released", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
pdv_wedge_init (PdvWedge *self)
{
  self->min_length = PDV_WEDGE_DEFAULT_MIN_LENGTH;
  self->max_gap_ms = PDV_WEDGE_DEFAULT_MAX_GAP_MS;
  self->scan_time = G_MININT64;
  self->held = g_string_new (NULL);
}

PdvWedge *
pdv_wedge_new (void)
{
  return g_object_new (PDV_TYPE_WEDGE, NULL);
}

guint
pdv_wedge_get_min_length (PdvWedge *self)
{
  g_return_val_if_fail (PDV_IS_WEDGE (self), 0);
  return self->min_length;
}

void
pdv_wedge_set_min_length (PdvWedge *self,
                          guint     min_length)
{
  g_return_if_fail (PDV_IS_WEDGE (self));
  g_return_if_fail (min_length > 0);

  if (self->min_length == min_length)
    return;
  self->min_length = min_length;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MIN_LENGTH]);
}

guint
pdv_wedge_get_max_gap (PdvWedge *self)
{
  g_return_val_if_fail (PDV_IS_WEDGE (self), 0);
  return self->max_gap_ms;
}

void
pdv_wedge_set_max_gap (PdvWedge *self,
                       guint     max_gap_ms)
{
  g_return_if_fail (PDV_IS_WEDGE (self));
  g_return_if_fail (max_gap_ms > 0);

  if (self->max_gap_ms == max_gap_ms)
    return;
  self->max_gap_ms = max_gap_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_GAP]);
}

/**
 * pdv_wedge_feed_char:
 * @c: the character the key typed, in the keyboard's layout
 * @time_us: when the key went down, in microseconds on any steady clock
 *
 * Releases what was held first if the pause before @c was too long to be
 * part of a scan; then holds @c, as it may start or continue one.
 *
 * Returns: %PDV_WEDGE_KEY_HELD: the key must not be delivered now
 */
PdvWedgeKey
pdv_wedge_feed_char (PdvWedge *self,
                     gunichar  c,
                     gint64    time_us)
{
  g_return_val_if_fail (PDV_IS_WEDGE (self), PDV_WEDGE_KEY_PASS);
  g_return_val_if_fail (g_unichar_validate (c) && c != 0, PDV_WEDGE_KEY_PASS);

  if (self->n_held > 0 && (!within_gap (self, time_us) || self->held->len >= MAX_HELD_BYTES))
    release (self);
  if (self->n_held == 0)
    self->first_time = time_us;
  g_string_append_unichar (self->held, c);
  self->n_held++;
  self->last_time = time_us;
  return PDV_WEDGE_KEY_HELD;
}

/**
 * pdv_wedge_feed_enter:
 * @time_us: when Enter went down
 *
 * Also for the other keys scanners end a code with: keypad Enter, Linefeed,
 * Tab. Ends a scan if enough characters came, none after too long a pause and
 * at a scanner's pace overall; emits #PdvWedge::scanned then and swallows the
 * key, and the second half of a two-key ending (CR LF) right after it.
 * Otherwise releases what was held, and the key goes on as usual (Tab moves
 * the focus).
 *
 * Returns: %PDV_WEDGE_KEY_HELD when Enter ended a scan
 */
PdvWedgeKey
pdv_wedge_feed_enter (PdvWedge *self,
                      gint64    time_us)
{
  g_autofree char *code = NULL;

  g_return_val_if_fail (PDV_IS_WEDGE (self), PDV_WEDGE_KEY_PASS);

  /* The second half of a CR LF, or of Enter and Tab, right after a scan. */
  if (self->n_held == 0 && self->scan_time != G_MININT64 && time_us >= self->scan_time &&
      time_us - self->scan_time <= (gint64) self->max_gap_ms * 1000)
    {
      self->scan_time = G_MININT64;
      return PDV_WEDGE_KEY_HELD;
    }
  if (self->n_held < self->min_length || !within_gap (self, time_us) ||
      time_us - self->first_time > (gint64) self->n_held * PDV_WEDGE_MAX_MEAN_GAP_MS * 1000)
    {
      release (self);
      return PDV_WEDGE_KEY_PASS;
    }
  code = g_strndup (self->held->str, self->held->len);
  g_string_truncate (self->held, 0);
  self->n_held = 0;
  self->scan_time = time_us;
  g_signal_emit (self, signals[SCANNED], 0, code);
  return PDV_WEDGE_KEY_HELD;
}

/**
 * pdv_wedge_interrupt:
 *
 * Releases whatever is held: a key that is neither a character nor Enter
 * came, or no key came for longer than the gap.
 */
void
pdv_wedge_interrupt (PdvWedge *self)
{
  g_return_if_fail (PDV_IS_WEDGE (self));
  release (self);
}

gboolean
pdv_wedge_is_holding (PdvWedge *self)
{
  g_return_val_if_fail (PDV_IS_WEDGE (self), FALSE);
  return self->n_held > 0;
}

/**
 * pdv_wedge_peek_held:
 *
 * Returns: the characters held back so far, "" when none
 */
const char *
pdv_wedge_peek_held (PdvWedge *self)
{
  g_return_val_if_fail (PDV_IS_WEDGE (self), NULL);
  return self->held->str;
}
