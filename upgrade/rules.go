package upgrade

// The rules below are the whole of hawatch's knowledge of PAN-OS upgrade
// paths. Each names its source; docs/upgrade-path.md quotes them and says
// where public material is unclear and which reading was chosen (always
// the one that refuses more).

// Sources of the rules.
const (
	// SourceUpgradePath: feature releases are installed in order, the base
	// image of each is downloaded (not installed) before its maintenance
	// release is installed.
	SourceUpgradePath = "Palo Alto Networks, PAN-OS 9.1 upgrade guide, \"Determine the Upgrade Path\" " +
		"(docs.paloaltonetworks.com/pan-os/9-1/pan-os-new-features/upgrade-to-pan-os-91/upgrade-the-firewall-to-pan-os-91/determine-the-upgrade-path)"
	// SourceTrain: the order of feature releases, with no 5.1 for
	// firewalls and no 7.0.0 image.
	SourceTrain = "PaloAltoNetworks/pan-os-python panos/updater.py (_next_minor_version, _direct_upgrade_possible); " +
		"PaloAltoNetworks/pan-os-ansible plugins/modules/panos_software.py (version_sequence)"
	// SourceBase1212: the base image of 12.1 is 12.1.2.
	SourceBase1212 = "PaloAltoNetworks/pan-os-ansible pull request 665 (BASE_IMAGE_OVERRIDES 12.1 -> 12.1.2); cdot65/pan-os-upgrade issue 152"
	// SourceSkip110: PAN-OS 11.0 lets devices running 10.1 or later skip up
	// to three releases.
	SourceSkip110 = "Palo Alto Networks, PAN-OS 11.0 upgrade guide, \"Upgrade the Firewall PAN-OS from Panorama\" / " +
		"Skip Software Version Upgrade (docs.paloaltonetworks.com/pan-os/11-0/pan-os-upgrade/upgrade-pan-os/upgrade-the-firewall-pan-os-from-panorama), " +
		"as quoted in PaloAltoNetworks/ansible-playbooks issue 205"
	// SourceSkipAnsible: the vendor's Ansible module recommends at most two
	// skipped releases from 10.1 and three from 11.0.
	SourceSkipAnsible = "PaloAltoNetworks/pan-os-ansible pull request 638, plugins/modules/panos_software.py is_valid_sequence"
	// SourceHA: HA peers run the same PAN-OS version; different feature
	// releases are tolerated only while one peer at a time is upgraded.
	SourceHA = "Palo Alto Networks, \"Set Up Active/Passive HA\" (same PAN-OS version on both peers); " +
		"VM-Series 8.0 deployment guide, \"Upgrade the VM-Series Model in an HA Pair\" (peers on different major versions such as 7.1 and 8.0 can enter Suspended); " +
		"cdot65/pan-os-upgrade check_ha_compatibility (refuses an HA upgrade more than one release apart)"
)

// Release is one PAN-OS feature release.
type Release struct {
	Feature Feature
	// Base is the feature release's base image: it must be on the
	// firewall before any maintenance release of the feature release can
	// be installed. Installing it is needed only when it is the target.
	Base   Version
	Source string
}

// train is every PAN-OS feature release for firewalls, oldest first: an
// upgrade goes through them in this order unless a skip rule allows a
// jump. A release missing here (5.1, 10.3, 12.0) does not exist.
var train = []Release{
	{Feature{6, 0}, Version{Major: 6}, SourceTrain},
	{Feature{6, 1}, Version{Major: 6, Minor: 1}, SourceTrain},
	// There is no 7.0.0 image; 7.0.1 is the base of 7.0.
	{Feature{7, 0}, Version{Major: 7, Patch: 1}, SourceTrain},
	{Feature{7, 1}, Version{Major: 7, Minor: 1}, SourceTrain},
	{Feature{8, 0}, Version{Major: 8}, SourceTrain},
	{Feature{8, 1}, Version{Major: 8, Minor: 1}, SourceTrain},
	{Feature{9, 0}, Version{Major: 9}, SourceTrain},
	{Feature{9, 1}, Version{Major: 9, Minor: 1}, SourceTrain},
	{Feature{10, 0}, Version{Major: 10}, SourceTrain},
	{Feature{10, 1}, Version{Major: 10, Minor: 1}, SourceTrain},
	{Feature{10, 2}, Version{Major: 10, Minor: 2}, SourceTrain},
	{Feature{11, 0}, Version{Major: 11}, SourceTrain},
	{Feature{11, 1}, Version{Major: 11, Minor: 1}, SourceTrain},
	{Feature{11, 2}, Version{Major: 11, Minor: 2}, SourceTrain},
	{Feature{12, 1}, Version{Major: 12, Minor: 1, Patch: 2}, SourceBase1212},
}

// SkipRule lets a firewall running From or a later feature release
// install a target up to MaxSkipped feature releases beyond the next one.
type SkipRule struct {
	From       Feature
	MaxSkipped int
	Source     string
}

// skipRules, oldest From first; the last rule whose From the running
// version reaches applies. The 11.0 guide allows three skipped releases
// from 10.1; the vendor's Ansible module recommends two from 10.1 and
// three from 11.0. The stricter reading is kept.
var skipRules = []SkipRule{
	{From: Feature{10, 1}, MaxSkipped: 2, Source: SourceSkipAnsible},
	{From: Feature{11, 0}, MaxSkipped: 3, Source: SourceSkip110},
}

// HAMaxApart is how many feature releases two HA peers may be apart and
// still sync: one, the gap the vendor's one-peer-at-a-time upgrade
// procedure creates. Public material does not say that more works.
const HAMaxApart = 1

// release returns the position of f in the train.
func release(f Feature) (int, bool) {
	for i, r := range train {
		if r.Feature == f {
			return i, true
		}
	}
	return 0, false
}

// skipRule returns the skip rule for a firewall running feature release f.
func skipRule(f Feature) (SkipRule, bool) {
	var rule SkipRule
	found := false
	for _, r := range skipRules {
		if f.Compare(r.From) >= 0 {
			rule, found = r, true
		}
	}
	return rule, found
}

// Releases returns the feature releases hawatch knows, oldest first.
func Releases() []Release { return append([]Release(nil), train...) }

// Skips returns the skip rules, oldest From first.
func Skips() []SkipRule { return append([]SkipRule(nil), skipRules...) }
